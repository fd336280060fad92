import Testing

import KodeProviders

/// The eight-bytes-at-a-time line-end scan must find exactly what a byte-by-byte scan finds.
@Suite("SSE line-end scan")
struct SSELineEndTests {
    private func naive(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count, bytes[index] != 0x0A, bytes[index] != 0x0D { index += 1 }
        return index
    }

    @Test func agreesWithAByteScanAtEveryOffset() {
        // Every position of CR or LF in words of every alignment, next to bytes that differ from
        // them in one bit (0x0B, 0x0C, 0x8A, 0x8D) and to multi-byte UTF-8.
        let fillers: [UInt8] = [0x61, 0x0B, 0x0C, 0x0E, 0x8A, 0x8D, 0xFF, 0x00, 0xE2, 0x9C, 0x93]
        for length in 0...40 {
            for terminator in [nil, UInt8(0x0A), UInt8(0x0D)] {
                for position in 0...max(0, length - 1) {
                    var bytes = (0..<length).map { fillers[($0 * 7 + length) % fillers.count] }
                    if let terminator, position < length { bytes[position] = terminator }
                    for start in 0...length {
                        let found = bytes.withUnsafeBufferPointer { buffer -> Int in
                            guard let base = buffer.baseAddress else { return 0 }
                            return SSEDecoder.lineEnd(base, from: start, count: length)
                        }
                        #expect(found == naive(bytes, from: start), "length \(length), start \(start)")
                    }
                }
            }
        }
    }
}
