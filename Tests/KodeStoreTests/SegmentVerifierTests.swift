import Foundation
@testable import KodeKernel
import KodeTestSupport
import Testing

/// `store check`'s streaming verifier must agree with the reader whatever its buffer size,
/// including records that straddle buffer ends or exceed the buffer.
@Suite struct SegmentVerifierTests {
    @Test(arguments: [64, 700, 1500, 4096])
    func agreesWithTheScannerAcrossBufferBoundaries(bufferSize: Int) async throws {
        let fixture = try await StoreFixture()
        var records: [LogRecord] = []
        for seq in UInt64(1)...40 { records += bigRecords(from: seq, count: 1, size: 20 + Int(seq * 97 % 3000)) }
        try await fixture.append(records)
        let io = PosixFileIO()
        let fd = try io.open(fixture.segment().path, mode: .read)
        defer { io.close(fd) }
        var lastSeq: UInt64 = 0
        let verified = try SegmentVerifier(io: io, bufferSize: bufferSize).verify(fd: fd, size: try io.size(fd), lastSeq: &lastSeq)
        #expect(verified == 40)
        #expect(lastSeq == 40)

        var damaged = try fixture.segmentBytes()
        damaged[recordOffsets(in: damaged)[20] + 30] ^= 1
        try fixture.writeSegment(damaged)
        var again: UInt64 = 0
        #expect(try SegmentVerifier(io: io, bufferSize: bufferSize).verify(fd: fd, size: try io.size(fd), lastSeq: &again) == nil)
        try fixture.writeSegment(Array(damaged[0..<(damaged.count - 5)]))
        #expect(try SegmentVerifier(io: io, bufferSize: bufferSize).verify(fd: fd, size: try io.size(fd), lastSeq: &again) == nil)
    }
}

/// The three-lane checksum and the joining of checksums must agree with the plain loop.
@Suite struct CRC32CLaneTests {
    static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    }

    @Test(arguments: [0, 1, 47, 48, 49, 4095, 65_535, 65_536, 65_537, 200_003, 1 << 20])
    func threeLanesMatchOneLane(_ count: Int) {
        let data = Self.bytes(count, seed: UInt64(count) + 1)
        data.withUnsafeBytes { raw in
            for start: UInt32 in [0, 0xFFFF_FFFF, 0x1234_5678] {
                #expect(CRC32C.checksumThreeLanes(raw, continuing: start) == CRC32C.checksumOneLane(raw, continuing: start), "\(count) bytes from \(start)")
            }
            #expect(CRC32C.checksum(raw) == CRC32C.checksumOneLane(raw))
        }
    }

    /// Bit by bit, straight from the definition: the reference every fast path must match.
    static func bitwise(_ bytes: [UInt8], continuing crc: UInt32) -> UInt32 {
        var state = ~crc
        for byte in bytes {
            state ^= UInt32(byte)
            for _ in 0..<8 { state = state & 1 != 0 ? (state >> 1) ^ 0x82F6_3B78 : state >> 1 }
        }
        return ~state
    }

    @Test func everyLengthAndTailMatchesTheDefinition() {
        let data = Self.bytes(400, seed: 3)
        for length in 0..<300 {
            for offset in 0..<3 {
                let slice = Array(data[offset..<(offset + length)])
                #expect(CRC32C.checksum(slice, continuing: 0x55) == Self.bitwise(slice, continuing: 0x55), "\(length) bytes at \(offset)")
            }
        }
    }

    @Test func joiningChecksumsEqualsChecksummingTheWhole() {
        let data = Self.bytes(10_000, seed: 7)
        for split in [0, 1, 15, 16, 17, 999, 5_000, 9_999, 10_000] {
            let first = CRC32C.checksum(Array(data[..<split]))
            let second = CRC32C.checksum(Array(data[split...]))
            #expect(CRC32C.combine(first, second, secondLength: data.count - split) == CRC32C.checksum(data), "split at \(split)")
        }
    }
}
