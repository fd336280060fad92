import Foundation

/// The fast path of `store check`: streams a segment through one reused buffer, verifying
/// framing, checksums and seq order, without decoding anything.
///
/// Reading a 64 MiB segment into a fresh array costs about as much in page faults as checking
/// it; a 4 MiB buffer that stays mapped and cache-warm avoids that. Any damage makes it return
/// nil so the caller re-reads the segment with `LogScanner`, whose report (torn tail or
/// corruption, and where) is the authoritative one.
struct SegmentVerifier {
    static let bufferSize = 4 << 20

    let io: any FileIO
    var bufferSize = SegmentVerifier.bufferSize

    /// Records verified, or nil on any damage. `lastSeq` advances over the verified records.
    func verify(fd: Int32, size: UInt64, lastSeq: inout UInt64) throws -> Int? {
        var capacity = bufferSize
        var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        var readOffset = UInt64(LogFormat.segmentHeaderSize)
        var filled = 0
        var records = 0
        var seq = lastSeq
        while true {
            if readOffset < size && filled < capacity {
                let room = UnsafeMutableRawBufferPointer(rebasing: buffer[filled...])
                let count = try io.read(fd, at: readOffset, into: UnsafeMutableRawBufferPointer(rebasing: room.prefix(Int(min(UInt64(room.count), size - readOffset)))))
                if count == 0 { return nil }  // the file shrank under us: let the full scan explain
                filled += count
                readOffset += UInt64(count)
            }
            var position = 0
            var needMore = false
            while filled - position >= LogFormat.recordHeaderSize {
                let view = UnsafeRawBufferPointer(rebasing: buffer[position..<filled])
                let length = Int(view.loadLittleEndian(UInt32.self, at: 0))
                guard length >= LogFormat.payloadPrefixSize, length <= LogFormat.maxPayloadSize else { return nil }
                let total = LogFormat.recordHeaderSize + length
                if total > view.count {
                    needMore = true
                    break
                }
                let covered = UnsafeRawBufferPointer(rebasing: view[8..<total])
                guard CRC32C.checksum(covered) == view.loadLittleEndian(UInt32.self, at: 4),
                      LogFormat.RecordType(rawValue: view[8]) != nil else { return nil }
                let recordSeq = view.loadLittleEndian(UInt64.self, at: LogFormat.recordHeaderSize)
                guard recordSeq > seq else { return nil }
                seq = recordSeq
                records += 1
                position += total
            }
            if readOffset >= size {
                // Everything is read: leftover bytes are a damaged tail.
                if filled - position != 0 { return nil }
                lastSeq = seq
                return records
            }
            // Keep the unfinished record at the front, growing the buffer for a huge one.
            let leftover = filled - position
            if needMore || leftover > 0 {
                let needed = leftover >= LogFormat.recordHeaderSize
                    ? LogFormat.recordHeaderSize + Int(UnsafeRawBufferPointer(rebasing: buffer[position..<filled]).loadLittleEndian(UInt32.self, at: 0))
                    : LogFormat.recordHeaderSize
                if needed > capacity {
                    capacity = needed
                    let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
                    bigger.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[position..<filled]))
                    buffer.deallocate()
                    buffer = bigger
                    filled = leftover
                    continue
                }
            }
            if leftover > 0 && position > 0 {
                buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + position, byteCount: leftover)
            }
            filled = leftover
        }
    }
}
