
/// A small, strict JSON parser from UTF-8 bytes straight to `JSONValue`.
///
/// Why not `JSONDecoder`: every streamed chunk of every reply is parsed, and decoding
/// `JSONValue` through `Codable` tries each case in turn and costs tens of microseconds per
/// chunk; this parser is a single pass and keeps the normalized stream within its per-chunk
/// budget. It reports the byte offset of the first problem.
// SPI rather than `package`: the providers' stream decoders call the cursor a few times per
// chunk, and only public declarations are serialized for cross-module inlining (`@inlinable` on a
// `package` declaration is not inlined into another module by this compiler). Measured: `package`
// made the normalized stream 8-15% slower (docs/PERFORMANCE.md, Providers). The SPI keeps both
// types out of the API a client sees without `@_spi(KodeInternals) import KodeKernel`.
@_spi(KodeInternals)
public enum FastJSONParser {
    /// Why a text is not JSON, and where.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// What was wrong.
        public var reason: String
        /// The byte offset where parsing stopped.
        public var offset: Int
        /// "reason at byte N".
        public var description: String { "\(reason) at byte \(offset)" }
    }

    /// Object member names whose values are skipped (checked for well-formedness but not
    /// built): vendors send bookkeeping fields on every chunk that nobody reads.
    public struct SkippedKeys: Sendable {
        let names: [[UInt8]]
        /// Bit n is set when some name is n bytes long (mod 64): most names are rejected by it.
        let lengths: UInt64
        /// Skips members with these names at every nesting level.
        public init(_ names: [String]) {
            self.names = names.map { Array($0.utf8) }
            self.lengths = self.names.reduce(0) { $0 | (1 << UInt64($1.count & 63)) }
        }
        /// Skips nothing.
        public static let none = SkippedKeys([])
    }

    /// Working storage a caller that parses many small documents keeps between calls, so each
    /// parse does not allocate its own.
    public struct Scratch: Sendable {
        var members: [JSONMember] = []
        var elements: [JSONValue] = []
        /// Empty storage.
        public init() {}
    }

    /// Parses one JSON value from `text`; trailing non-space characters are an error.
    public static func parse(_ text: String, skipping skipped: SkippedKeys = .none) throws(Failure) -> JSONValue {
        var scratch = Scratch()
        return try parse(text, skipping: skipped, scratch: &scratch)
    }

    /// Parses `text` reusing `scratch`.
    public static func parse(_ text: String, skipping skipped: SkippedKeys, scratch: inout Scratch) throws(Failure) -> JSONValue {
        var copy = text
        let result: Result<JSONValue, Failure> = copy.withUTF8 { bytes in
            do throws(Failure) {
                return .success(try parse(UnsafeRawBufferPointer(bytes), skipping: skipped, scratch: &scratch))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses one JSON value from raw UTF-8 bytes.
    public static func parse(_ bytes: UnsafeRawBufferPointer, skipping skipped: SkippedKeys = .none) throws(Failure) -> JSONValue {
        var scratch = Scratch()
        return try parse(bytes, skipping: skipped, scratch: &scratch)
    }

    /// Parses raw UTF-8 bytes reusing `scratch`.
    public static func parse(_ bytes: UnsafeRawBufferPointer, skipping skipped: SkippedKeys, scratch: inout Scratch) throws(Failure) -> JSONValue {
        var reader = JSONByteReader(bytes: bytes, skipped: skipped.names, skippedLengths: skipped.lengths)
        swap(&reader.memberStack, &scratch.members)
        swap(&reader.elementStack, &scratch.elements)
        defer {
            swap(&reader.memberStack, &scratch.members)
            swap(&reader.elementStack, &scratch.elements)
            scratch.members.removeAll(keepingCapacity: true)
            scratch.elements.removeAll(keepingCapacity: true)
        }
        reader.skipSpace()
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        if reader.index != bytes.count { throw Failure(reason: "unexpected text after the JSON value", offset: reader.index) }
        return value
    }
}
