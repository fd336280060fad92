import Foundation

/// Appends the binary encoding's primitives (snapshots and log records, docs/STORE-FORMAT.md)
/// to a growing byte buffer: little-endian fixed-width integers, IEEE-754 bit patterns and
/// length-prefixed UTF-8.
///
/// Fixed widths rather than varints: decoding is on the path of every open, and a fixed-width
/// load is one unaligned read where a varint is a loop with a branch per byte; the few bytes
/// saved per field are noise next to the conversation's text.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// Continues `buffer` (taken over without a copy; hand it back with `finish(into:)`).
    init(continuing buffer: inout [UInt8]) {
        swap(&bytes, &buffer)
    }

    /// Gives the bytes back to the buffer this writer continued.
    mutating func finish(into buffer: inout [UInt8]) {
        swap(&bytes, &buffer)
    }

    mutating func u8(_ value: UInt8) {
        bytes.append(value)
    }

    mutating func u32(_ value: UInt32) {
        Swift.withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func u64(_ value: UInt64) {
        Swift.withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func int(_ value: Int) {
        u64(UInt64(bitPattern: Int64(value)))
    }

    mutating func double(_ value: Double) {
        u64(value.bitPattern)
    }

    mutating func bool(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    /// A `Date` as its seconds since 2001-01-01 (bit pattern), so it round-trips exactly.
    mutating func date(_ value: Date) {
        double(value.timeIntervalSinceReferenceDate)
    }

    /// A count of following items.
    mutating func count(_ value: Int) {
        u32(UInt32(value))
    }

    /// u32 byte length, then the UTF-8 bytes.
    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            u32(UInt32(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// A presence byte (0 or 1), then the value when present.
    mutating func optional<T>(_ value: T?, _ write: (inout ByteWriter, T) -> Void) {
        guard let value else {
            bytes.append(0)
            return
        }
        bytes.append(1)
        write(&self, value)
    }

    mutating func optionalString(_ value: String?) {
        optional(value) { $0.string($1) }
    }

    mutating func optionalDate(_ value: Date?) {
        optional(value) { $0.date($1) }
    }

    /// Appends bytes as they are (a JSON record body).
    mutating func raw(_ data: Data) {
        bytes.append(contentsOf: data)
    }

    /// Lets `body` overwrite bytes already written: fields such as lengths and checksums that
    /// are known only once what follows them is written.
    mutating func patch(_ body: (UnsafeMutableRawBufferPointer) -> Void) {
        bytes.withUnsafeMutableBytes(body)
    }

    /// Reserves a u64 length field to be filled by `patchLength(at:)` once what follows is written.
    mutating func beginLength() -> Int {
        let at = bytes.count
        u64(0)
        return at
    }

    /// Stores the number of bytes written since `beginLength()` returned `at`.
    mutating func patchLength(at: Int) {
        let length = UInt64(bytes.count - at - 8)
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: length.littleEndian, toByteOffset: at, as: UInt64.self) }
    }
}
