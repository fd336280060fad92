import Foundation

/// The byte layout of the write-ahead log (docs/STORE-FORMAT.md is the prose version).
///
/// A segment starts with a 24-byte header, then records back to back:
///
///     header:  "KODEWAL\0" | version u32 | segment number u32 | seq of the record before this segment u64
///     record:  payload length u32 | CRC-32C of (type + payload) u32 | type u8 | payload
///     payload: seq u64 | timestamp f64 (seconds since 2001-01-01, bit pattern) | body
///              (type 1: JSON; type 2: binary, see `BinaryRecordBody`)
///
/// All integers are little-endian.
enum LogFormat {
    static let segmentMagic: [UInt8] = Array("KODEWAL\0".utf8)
    /// The segment format this build writes and the newest it reads.
    static let version: UInt32 = 1
    static let segmentHeaderSize = 24
    static let recordHeaderSize = 9
    /// seq + timestamp.
    static let payloadPrefixSize = 16
    /// A record larger than this is treated as damage, not data: no agent record comes near it.
    static let maxPayloadSize = 256 << 20
    /// Segments roll once they would grow past this.
    static let defaultSegmentLimit: UInt64 = 64 << 20

    /// The record types. Unknown types with a valid checksum come from a newer build.
    enum RecordType: UInt8 {
        /// A `LogRecord` whose body is JSON.
        case jsonRecord = 1
        /// A `LogRecord` whose body is binary (`BinaryRecordBody`).
        case binaryRecord = 2
    }

    static func segmentName(_ number: UInt32) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".log"
    }

    /// The segment number in a file name like `000042.log`, or nil for anything else.
    static func segmentNumber(_ name: String) -> UInt32? {
        guard name.hasSuffix(".log"), name.count == 10 else { return nil }
        return UInt32(name.prefix(6))
    }

    static func segmentHeader(number: UInt32, previousSeq: UInt64) -> [UInt8] {
        var bytes = segmentMagic
        bytes.appendLittleEndian(version)
        bytes.appendLittleEndian(number)
        bytes.appendLittleEndian(previousSeq)
        return bytes
    }
}

/// A decoded segment header.
struct SegmentHeader: Sendable, Hashable {
    var version: UInt32
    var number: UInt32
    var previousSeq: UInt64

    /// Parses a header, or nil when the bytes are not one (too short, or the wrong magic).
    init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= LogFormat.segmentHeaderSize,
              bytes.prefix(8).elementsEqual(LogFormat.segmentMagic) else { return nil }
        version = bytes.loadLittleEndian(UInt32.self, at: 8)
        number = bytes.loadLittleEndian(UInt32.self, at: 12)
        previousSeq = bytes.loadLittleEndian(UInt64.self, at: 16)
    }
}

extension Array where Element == UInt8 {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}

extension UnsafeRawBufferPointer {
    func loadLittleEndian<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
        T(littleEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
