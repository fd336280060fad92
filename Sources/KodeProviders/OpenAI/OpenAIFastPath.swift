@_spi(KodeInternals) import KodeKernel

/// Reads a chat completion chunk straight from its bytes with a `JSONCursor`: the text,
/// reasoning and tool-call deltas of `choices[0]`, `finish_reason`, `usage`, and (on the first
/// chunk) `id` and `model`, in any member order, skipping (but still checking) the rest.
///
/// It gives nil — and the decoder takes its general path, which parses the whole chunk — for
/// anything else: a non-null `error`, `choices` that is not an array of objects, a `delta` that
/// is not an object, malformed JSON. Scalar members are read as `JSONValue`s and judged with the
/// same accessors the general path uses (`stringValue`, `arrayValue`), so a member of an
/// unexpected type means the same thing on both paths.
package enum OpenAIFastPath {
    package static func read(_ data: UnsafeRawBufferPointer, needsIdentity: Bool, scratch: inout FastJSONParser.Scratch) -> OpenAIChunk? {
        var cursor = JSONCursor(data)
        return try? walk(&cursor, needsIdentity: needsIdentity, scratch: &scratch)
    }

    private static func walk(_ cursor: inout JSONCursor, needsIdentity: Bool, scratch: inout FastJSONParser.Scratch) throws -> OpenAIChunk {
        var chunk = OpenAIChunk()
        try cursor.enterObject()
        // A repeated member replaces the earlier one, as it does in the parsed dictionary.
        while let name = try cursor.nextMember() {
            if name.matches("choices") {
                chunk.choice = try firstChoice(&cursor, scratch: &scratch)
            } else if name.matches("usage") {
                // Not a `? nil :` expression: JSONValue is ExpressibleByNilLiteral, so that `nil`
                // would become `.null` and the chunk would seem to carry usage.
                let usage = try cursor.value(scratch: &scratch)
                chunk.usage = usage != .null ? usage : Optional.none
            } else if name.matches("error") {
                guard try cursor.kind() == .null else { throw FastPathMiss() }
                try cursor.skipValue()
            } else if needsIdentity && name.matches("id") {
                chunk.id = try cursor.value(scratch: &scratch).stringValue
            } else if needsIdentity && name.matches("model") {
                chunk.model = try cursor.value(scratch: &scratch).stringValue
            } else {
                try cursor.skipValue()
            }
        }
        try cursor.finish()
        return chunk
    }

    /// `choices[0]`; later choices are checked and skipped.
    private static func firstChoice(_ cursor: inout JSONCursor, scratch: inout FastJSONParser.Scratch) throws -> OpenAIChunk.Choice? {
        guard try cursor.kind() == .array else { throw FastPathMiss() }
        try cursor.enterArray()
        guard try cursor.nextElement() else { return nil }
        guard try cursor.kind() == .object else { throw FastPathMiss() }
        var choice = OpenAIChunk.Choice()
        try cursor.enterObject()
        while let name = try cursor.nextMember() {
            if name.matches("delta") {
                guard try cursor.kind() == .object else { throw FastPathMiss() }
                try readDelta(&cursor, into: &choice, scratch: &scratch)
            } else if name.matches("finish_reason") {
                choice.finishReason = try cursor.value(scratch: &scratch).stringValue
            } else {
                try cursor.skipValue()
            }
        }
        while try cursor.nextElement() { try cursor.skipValue() }
        return choice
    }

    private static func readDelta(_ cursor: inout JSONCursor, into choice: inout OpenAIChunk.Choice, scratch: inout FastJSONParser.Scratch) throws {
        var reasoningContent: String? = nil
        var reasoning: String? = nil
        choice.text = nil
        choice.toolCalls = nil
        try cursor.enterObject()
        while let name = try cursor.nextMember() {
            if name.matches("content") {
                choice.text = try cursor.value(scratch: &scratch).stringValue
            } else if name.matches("reasoning_content") {
                reasoningContent = try cursor.value(scratch: &scratch).stringValue
            } else if name.matches("reasoning") {
                reasoning = try cursor.value(scratch: &scratch).stringValue
            } else if name.matches("tool_calls") {
                choice.toolCalls = try cursor.value(scratch: &scratch).arrayValue
            } else {
                try cursor.skipValue()
            }
        }
        choice.thinking = reasoningContent ?? reasoning
    }
}
