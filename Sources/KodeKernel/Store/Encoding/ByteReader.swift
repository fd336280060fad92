import Foundation

/// Why binary-encoded bytes (a snapshot's state, a record's body) could not be read, and at
/// which byte.
struct BinaryDecodingFailure: Error {
    var reason: String
    var offset: Int
}

/// Reads what `ByteWriter` wrote, checking every length against the bytes that remain, so a
/// damaged or truncated encoding fails with an offset instead of reading past the end or
/// allocating absurd arrays.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var position: Int
    /// Where reading must stop (the end of the current section).
    private(set) var limit: Int

    init(_ bytes: UnsafeRawBufferPointer, from position: Int = 0) {
        self.bytes = bytes
        self.position = position
        self.limit = bytes.count
    }

    var remaining: Int { limit - position }

    func failure(_ reason: String, at offset: Int? = nil) -> BinaryDecodingFailure {
        BinaryDecodingFailure(reason: reason, offset: offset ?? position)
    }

    private mutating func take(_ count: Int, _ what: @autoclosure () -> String) throws(BinaryDecodingFailure) -> Int {
        guard count >= 0, count <= remaining else {
            throw failure("\(what()) needs \(count) bytes, \(remaining) left")
        }
        let at = position
        position += count
        return at
    }

    mutating func u8() throws(BinaryDecodingFailure) -> UInt8 {
        let at = try take(1, "a byte")
        return bytes[at]
    }

    mutating func u32() throws(BinaryDecodingFailure) -> UInt32 {
        let at = try take(4, "a 32-bit field")
        return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self))
    }

    mutating func u64() throws(BinaryDecodingFailure) -> UInt64 {
        let at = try take(8, "a 64-bit field")
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self))
    }

    mutating func int() throws(BinaryDecodingFailure) -> Int {
        let value = Int64(bitPattern: try u64())
        guard let int = Int(exactly: value) else { throw failure("integer \(value) does not fit", at: position - 8) }
        return int
    }

    mutating func double() throws(BinaryDecodingFailure) -> Double {
        Double(bitPattern: try u64())
    }

    mutating func bool() throws(BinaryDecodingFailure) -> Bool {
        switch try u8() {
        case 0: return false
        case 1: return true
        case let other: throw failure("\(other) is not a boolean", at: position - 1)
        }
    }

    mutating func date() throws(BinaryDecodingFailure) -> Date {
        Date(timeIntervalSinceReferenceDate: try double())
    }

    /// A count of items that each take at least `minimumSize` bytes: a count the remaining bytes
    /// cannot hold is damage, caught before anything is allocated for it.
    mutating func count(minimumSize: Int) throws(BinaryDecodingFailure) -> Int {
        let value = Int(try u32())
        guard value <= remaining / max(minimumSize, 1) else {
            throw failure("a count of \(value) items cannot fit in the \(remaining) bytes left", at: position - 4)
        }
        return value
    }

    mutating func string() throws(BinaryDecodingFailure) -> String {
        let utf8 = try stringBytes()
        guard !utf8.isEmpty else { return "" }
        // The snapshot's checksum already vouches for the bytes; decoding still validates the
        // UTF-8 (repairing, never trapping), which for valid text is a fast scan and one copy.
        return String(decoding: utf8, as: UTF8.self)
    }

    /// A string's UTF-8 bytes where they lie, without making a `String` of them: for copying
    /// text straight into other output. Valid only while `bytes` is.
    mutating func stringBytes() throws(BinaryDecodingFailure) -> UnsafeBufferPointer<UInt8> {
        let length = Int(try u32())
        let at = try take(length, "a string")
        guard length > 0 else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: (bytes.baseAddress! + at).assumingMemoryBound(to: UInt8.self), count: length)
    }

    /// Reads a presence byte and, when it is 1, the value.
    mutating func optional<T>(_ read: (inout ByteReader) throws(BinaryDecodingFailure) -> T) throws(BinaryDecodingFailure) -> T? {
        try bool() ? try read(&self) : nil
    }

    mutating func optionalString() throws(BinaryDecodingFailure) -> String? {
        try optional { reader throws(BinaryDecodingFailure) in try reader.string() }
    }

    mutating func optionalDate() throws(BinaryDecodingFailure) -> Date? {
        try optional { reader throws(BinaryDecodingFailure) in try reader.date() }
    }

    /// A value with a string raw value, stored as that raw value.
    mutating func raw<T: RawRepresentable>(_ type: T.Type) throws(BinaryDecodingFailure) -> T where T.RawValue == String {
        let at = position
        let raw = try string()
        guard let value = T(rawValue: raw) else { throw failure("'\(raw)' is not a \(T.self)", at: at) }
        return value
    }

    /// Skips a section (u64 length, then its bytes) without reading it.
    mutating func skipSection(_ name: String) throws(BinaryDecodingFailure) {
        let length = try u64()
        guard length <= UInt64(remaining) else {
            throw failure("the \(name) section is \(length) bytes long, but only \(remaining) remain", at: position - 8)
        }
        _ = try take(Int(length), "the \(name) section")
    }

    /// Reads a section (u64 length, then its bytes) with `read`, which must consume it exactly.
    mutating func section<T>(_ name: String, _ read: (inout ByteReader) throws(BinaryDecodingFailure) -> T) throws(BinaryDecodingFailure) -> T {
        let bounds = try enterSection(name)
        let value = try read(&self)
        try leave(bounds)
        return value
    }

    /// Where a section entered with `enterSection` ends, and the limit to restore after it.
    struct SectionBounds {
        var name: String
        var end: Int
        var outer: Int
    }

    /// Starts reading a section (u64 length, then its bytes) for a caller that reads it piece by
    /// piece with other work in between, and so cannot do it inside `section`'s closure.
    mutating func enterSection(_ name: String) throws(BinaryDecodingFailure) -> SectionBounds {
        let length = try u64()
        guard length <= UInt64(remaining) else {
            throw failure("the \(name) section is \(length) bytes long, but only \(remaining) remain", at: position - 8)
        }
        let bounds = SectionBounds(name: name, end: position + Int(length), outer: limit)
        limit = bounds.end
        return bounds
    }

    /// Ends a section entered with `enterSection`, which must have been read exactly.
    mutating func leave(_ bounds: SectionBounds) throws(BinaryDecodingFailure) {
        guard position == bounds.end else { throw failure("the \(bounds.name) section has \(bounds.end - position) unread bytes") }
        limit = bounds.outer
    }
}
