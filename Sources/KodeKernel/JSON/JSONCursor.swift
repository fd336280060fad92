/// A forward-only reader over one JSON document, for decoders that need a few fields of many
/// small documents and would rather not build a `JSONValue` tree (and its dictionaries) for each.
///
/// The caller walks the document in order: `enterObject()`, then `nextMember()` until it returns
/// nil, consuming each member's value with `string()`, `value(scratch:)`, `skipValue()` or by
/// entering it; arrays the same way with `enterArray()` and `nextElement()`. `finish()` then checks
/// that nothing follows the document. Every byte is held to `FastJSONParser`'s rules, skipped
/// values included, so a walk that reaches `finish()` has seen well-formed JSON, and strings
/// (escapes, surrogates, invalid UTF-8) decode exactly as the parser decodes them.
///
/// The cursor reads the bytes in place: they must stay valid while it is in use.
// SPI, not `package`, for cross-module inlining: see FastJSONParser.
@_spi(KodeInternals)
public struct JSONCursor {
    /// What the next value is.
    public enum Kind: Sendable, Hashable {
        case object, array, string, number, bool, null
    }

    /// A member name, or a string value read with `token()`, pointing into the document (decoded
    /// into a String only if it holds escapes): comparing it with known words allocates nothing.
    public struct Token {
        /// The bytes between the quotes, when the text has no escapes.
        @usableFromInline let raw: UnsafeRawBufferPointer
        /// The decoded text, when it had escapes.
        @usableFromInline let decoded: String?
        /// Whether `raw` is all ASCII (then bytes that differ are different text).
        @usableFromInline let isASCII: Bool

        init(raw: UnsafeRawBufferPointer, decoded: String?, isASCII: Bool) {
            self.raw = raw
            self.decoded = decoded
            self.isASCII = isASCII
        }

        /// Whether the text equals `expected` as Strings compare (canonical equivalence, so the
        /// answer is the one a `switch` over the decoded String would give).
        ///
        /// Inlinable: decoders compare each name with a few constant words, and the common case
        /// (ASCII on both sides) then reduces to a length test and a byte comparison.
        @inlinable
        public func matches(_ expected: StaticString) -> Bool {
            if decoded == nil && isASCII && expected.isASCII {
                let count = expected.utf8CodeUnitCount
                guard raw.count == count else { return false }
                let wanted = expected.utf8Start
                for offset in 0..<count where raw[offset] != wanted[offset] { return false }
                return true
            }
            return slowMatches(expected)
        }

        /// Text with escapes or non-ASCII bytes (a decomposed accent, U+212A KELVIN SIGN for
        /// "K"): compared as Strings.
        @usableFromInline
        func slowMatches(_ expected: StaticString) -> Bool {
            (decoded ?? String(decoding: raw, as: UTF8.self)) == expected.description
        }

        /// The text as a String.
        public var text: String { decoded ?? String(decoding: raw, as: UTF8.self) }
    }

    private var reader: JSONByteReader
    /// Containers entered and not yet left.
    private var depth = 0
    /// A container was just entered, so its first member or element has no ',' before it.
    private var atContainerStart = false

    /// A cursor at the start of `bytes`.
    public init(_ bytes: UnsafeRawBufferPointer) {
        reader = JSONByteReader(bytes: bytes)
    }

    /// The byte offset the cursor has reached.
    public var offset: Int { reader.index }

    /// The kind of the next value, without consuming it.
    public mutating func kind() throws(FastJSONParser.Failure) -> Kind {
        reader.skipSpace()
        guard reader.index < reader.bytes.count else { throw reader.fail("unexpected end of JSON") }
        switch reader.bytes[reader.index] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: throw reader.fail("unexpected character")
        }
    }

    /// Enters the object that comes next; fails if the next value is not an object.
    public mutating func enterObject() throws(FastJSONParser.Failure) {
        try enter(UInt8(ascii: "{"), "expected an object")
    }

    /// Enters the array that comes next; fails if the next value is not an array.
    public mutating func enterArray() throws(FastJSONParser.Failure) {
        try enter(UInt8(ascii: "["), "expected an array")
    }

    /// The next member's name, positioned at its value (which the caller must consume), or nil
    /// when the object ends (the cursor then continues in the enclosing container).
    public mutating func nextMember() throws(FastJSONParser.Failure) -> Token? {
        guard try advance(closing: UInt8(ascii: "}"), "expected ',' or '}'", "unexpected end of JSON in an object") else { return nil }
        let bytes = reader.bytes
        guard reader.index < bytes.count, bytes[reader.index] == UInt8(ascii: "\"") else { throw reader.fail("expected a member name") }
        let name = try plainOrDecodedString()
        reader.skipSpace()
        guard reader.index < bytes.count, bytes[reader.index] == UInt8(ascii: ":") else { throw reader.fail("expected ':'") }
        reader.index += 1
        reader.skipSpace()
        return name
    }

    /// Whether another element follows (the cursor is then at it and the caller must consume
    /// it); false when the array ends.
    public mutating func nextElement() throws(FastJSONParser.Failure) -> Bool {
        try advance(closing: UInt8(ascii: "]"), "expected ',' or ']'", "unexpected end of JSON in an array")
    }

    /// Reads a string value.
    public mutating func string() throws(FastJSONParser.Failure) -> String {
        reader.skipSpace()
        guard reader.index < reader.bytes.count, reader.bytes[reader.index] == UInt8(ascii: "\"") else {
            throw reader.fail("expected a string")
        }
        return try reader.string()
    }

    /// Reads a string value as a `Token`, for values compared with known words (type tags,
    /// reasons) rather than kept.
    public mutating func token() throws(FastJSONParser.Failure) -> Token {
        reader.skipSpace()
        guard reader.index < reader.bytes.count, reader.bytes[reader.index] == UInt8(ascii: "\"") else {
            throw reader.fail("expected a string")
        }
        return try plainOrDecodedString()
    }

    /// Reads a string value, or `null` as nil.
    public mutating func stringOrNull() throws(FastJSONParser.Failure) -> String? {
        reader.skipSpace()
        if reader.index < reader.bytes.count, reader.bytes[reader.index] == UInt8(ascii: "n") {
            try reader.literal("null")
            return nil
        }
        return try string()
    }

    /// Reads any value as a `JSONValue` (numbers, booleans and null allocate nothing; containers
    /// are built with `scratch`'s storage).
    public mutating func value(scratch: inout FastJSONParser.Scratch) throws(FastJSONParser.Failure) -> JSONValue {
        reader.skipSpace()
        swap(&reader.memberStack, &scratch.members)
        swap(&reader.elementStack, &scratch.elements)
        defer {
            swap(&reader.memberStack, &scratch.members)
            swap(&reader.elementStack, &scratch.elements)
        }
        return try reader.value(depth: depth)
    }

    /// Moves past the next value without building it, still checking that it is well-formed.
    public mutating func skipValue() throws(FastJSONParser.Failure) {
        reader.skipSpace()
        try reader.skipValue(depth: depth)
    }

    /// Checks that the walk left every container it entered and that only whitespace follows.
    public mutating func finish() throws(FastJSONParser.Failure) {
        guard depth == 0 else { throw reader.fail("the document was not read to its end") }
        reader.skipSpace()
        guard reader.index == reader.bytes.count else { throw reader.fail("unexpected text after the JSON value") }
    }

    /// The string at the cursor (on its opening quote): in place when it is plain, else decoded.
    private mutating func plainOrDecodedString() throws(FastJSONParser.Failure) -> Token {
        let bytes = reader.bytes
        let start = reader.index + 1
        var end = start
        var highBits: UInt8 = 0
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            highBits |= byte
            end += 1
        }
        if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
            reader.index = end + 1
            return Token(raw: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), decoded: nil, isASCII: highBits < 0x80)
        }
        return Token(raw: UnsafeRawBufferPointer(start: nil, count: 0), decoded: try reader.string(), isASCII: false)
    }

    private mutating func enter(_ opening: UInt8, _ mismatch: String) throws(FastJSONParser.Failure) {
        reader.skipSpace()
        guard depth < JSONByteReader.maxDepth else { throw reader.fail("nesting deeper than \(JSONByteReader.maxDepth)") }
        guard reader.index < reader.bytes.count, reader.bytes[reader.index] == opening else { throw reader.fail(mismatch) }
        reader.index += 1
        depth += 1
        atContainerStart = true
    }

    /// Steps to the next entry of the innermost container: past a ',' (false at its closing
    /// bracket, which is consumed).
    private mutating func advance(closing: UInt8, _ misplaced: String, _ truncated: String) throws(FastJSONParser.Failure) -> Bool {
        reader.skipSpace()
        guard reader.index < reader.bytes.count else { throw reader.fail(truncated) }
        let byte = reader.bytes[reader.index]
        if byte == closing {
            // `[}` and `{]` fail here: the closing byte must match, and a ',' must precede later entries.
            reader.index += 1
            depth -= 1
            atContainerStart = false
            return false
        }
        if atContainerStart {
            atContainerStart = false
            return true
        }
        guard byte == UInt8(ascii: ",") else { throw reader.fail(misplaced) }
        reader.index += 1
        reader.skipSpace()
        return true
    }
}
