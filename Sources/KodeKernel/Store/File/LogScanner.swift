import Foundation

/// One verified record found by `LogScanner`.
struct ScannedRecord {
    var seq: UInt64
    /// File offset of the record's header.
    var offset: UInt64
    /// File offset just after the record.
    var end: UInt64
    /// The checksum-verified payload (valid only during the visit).
    var payload: UnsafeRawBufferPointer
    /// How the payload's body is encoded.
    var type: LogFormat.RecordType
}

/// How a scan of a segment region ended.
enum ScanEnd: Equatable {
    /// Every byte belonged to a good record.
    case clean
    /// The visitor asked to stop.
    case stopped
    /// Bad or incomplete bytes at `offset` with no good record after them: a torn tail when this
    /// is the last segment (cut it back), corruption otherwise.
    case damagedTail(offset: UInt64, detail: String)
    /// A bad record at `offset` followed by good ones: never a torn write, always corruption.
    case corrupted(offset: UInt64, detail: String)
    /// Only zero bytes from `offset` to the end: space a writer preallocated and has not used
    /// (yet, while it is live; ever, if it stopped without closing). A special case of a
    /// damaged tail that readers need not report while a writer holds the agent.
    case unusedSpace(offset: UInt64)
}

/// Walks framed records in a buffer, verifying lengths and checksums (the log reader).
enum LogScanner {
    /// Scans `bytes`, which hold the file's content starting at file offset `base`.
    /// Throws `StoreError.unsupportedVersion` for a well-formed record of an unknown type.
    static func scan(
        _ bytes: UnsafeRawBufferPointer,
        base: UInt64,
        file: String,
        visit: (ScannedRecord) throws -> Bool
    ) throws -> ScanEnd {
        var position = 0
        while position < bytes.count {
            switch check(bytes, at: position) {
            case .good(let size, let type):
                let record = ScannedRecord(
                    seq: bytes.loadLittleEndian(UInt64.self, at: position + LogFormat.recordHeaderSize),
                    offset: base + UInt64(position),
                    end: base + UInt64(position + size),
                    payload: UnsafeRawBufferPointer(rebasing: bytes[(position + LogFormat.recordHeaderSize)..<(position + size)]),
                    type: type
                )
                if try !visit(record) { return .stopped }
                position += size
            case .unknownType(let type):
                throw StoreError.unsupportedVersion(file: "\(file) (record type \(type) at offset \(base + UInt64(position)))", version: Int(type))
            case .bad(let detail):
                let offset = base + UInt64(position)
                if isZero(bytes, from: position) { return .unusedSpace(offset: offset) }
                if let later = firstGoodRecord(in: bytes, after: position) {
                    return .corrupted(offset: offset, detail: "\(detail); a valid record follows at offset \(base + UInt64(later))")
                }
                return .damagedTail(offset: offset, detail: detail)
            }
        }
        return .clean
    }

    enum Check {
        case good(size: Int, type: LogFormat.RecordType)
        case unknownType(UInt8)
        case bad(String)
    }

    /// Whether a whole, checksum-valid record starts at `position`.
    static func check(_ bytes: UnsafeRawBufferPointer, at position: Int) -> Check {
        let available = bytes.count - position
        guard available >= LogFormat.recordHeaderSize else {
            return .bad("incomplete record header (\(available) of \(LogFormat.recordHeaderSize) bytes)")
        }
        let length = Int(bytes.loadLittleEndian(UInt32.self, at: position))
        let stored = bytes.loadLittleEndian(UInt32.self, at: position + 4)
        let type = bytes[position + 8]
        guard length >= LogFormat.payloadPrefixSize, length <= LogFormat.maxPayloadSize else {
            return .bad("impossible record length \(length)")
        }
        guard length <= available - LogFormat.recordHeaderSize else {
            return .bad("incomplete record (\(available - LogFormat.recordHeaderSize) of \(length) payload bytes)")
        }
        let covered = UnsafeRawBufferPointer(rebasing: bytes[(position + 8)..<(position + LogFormat.recordHeaderSize + length)])
        guard CRC32C.checksum(covered) == stored else { return .bad("checksum mismatch") }
        guard let known = LogFormat.RecordType(rawValue: type) else { return .unknownType(type) }
        return .good(size: LogFormat.recordHeaderSize + length, type: known)
    }

    /// Whether every byte from `position` to the end is zero (checked a word at a time: the
    /// preallocated space after a live writer's last record is read on every tail poll).
    static func isZero(_ bytes: UnsafeRawBufferPointer, from position: Int) -> Bool {
        var index = position
        while index + 8 <= bytes.count {
            if bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) != 0 { return false }
            index += 8
        }
        while index < bytes.count {
            if bytes[index] != 0 { return false }
            index += 1
        }
        return true
    }

    /// The first position after `position` where a good record starts, if any. Only called on
    /// damage, so its cost (one cheap length test per byte, a checksum for plausible ones) does
    /// not touch the normal path.
    static func firstGoodRecord(in bytes: UnsafeRawBufferPointer, after position: Int) -> Int? {
        var candidate = position + 1
        while candidate + LogFormat.recordHeaderSize + LogFormat.payloadPrefixSize <= bytes.count {
            if LogFormat.RecordType(rawValue: bytes[candidate + 8]) != nil, case .good = check(bytes, at: candidate) {
                return candidate
            }
            candidate += 1
        }
        return nil
    }
}
