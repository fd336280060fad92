@_spi(KodeInternals) import KodeKernel

/// Reads a `GenerateContentResponse` chunk straight from its bytes with a `JSONCursor`: the
/// parts and finish reason of `candidates[0]`, `usageMetadata`, and (on the first chunk)
/// `responseId` and `modelVersion`, in any member order, skipping (but still checking) the rest.
///
/// It returns false — and the decoder takes its general path, which parses the whole chunk —
/// for anything else: an `error` or `promptFeedback` member, containers of an unexpected kind
/// (`candidates`, `content`, `parts` or a part that is not what the API documents), malformed
/// JSON. Scalar members are read as `JSONValue`s and judged with the same accessors the general
/// path uses, so a member of an unexpected type means the same thing on both paths.
package enum GeminiFastPath {
    package static func read(
        _ data: UnsafeRawBufferPointer, needsIdentity: Bool, into chunk: inout GeminiChunk, scratch: inout FastJSONParser.Scratch
    ) -> Bool {
        chunk.reset()
        var cursor = JSONCursor(data)
        do {
            try walk(&cursor, needsIdentity: needsIdentity, into: &chunk, scratch: &scratch)
            return true
        } catch {
            return false
        }
    }

    private static func walk(
        _ cursor: inout JSONCursor, needsIdentity: Bool, into chunk: inout GeminiChunk, scratch: inout FastJSONParser.Scratch
    ) throws {
        try cursor.enterObject()
        // A repeated member replaces the earlier one, as it does in the parsed dictionary.
        while let name = try cursor.nextMember() {
            if name.matches("candidates") {
                chunk.parts.removeAll(keepingCapacity: true)
                chunk.finishReason = nil
                try readFirstCandidate(&cursor, into: &chunk, scratch: &scratch)
            } else if name.matches("usageMetadata") {
                chunk.usage = try readUsage(&cursor, scratch: &scratch)
            } else if name.matches("error") || name.matches("promptFeedback") {
                throw FastPathMiss()
            } else if needsIdentity && name.matches("responseId") {
                chunk.responseId = try cursor.value(scratch: &scratch).stringValue
            } else if needsIdentity && name.matches("modelVersion") {
                chunk.modelVersion = try cursor.value(scratch: &scratch).stringValue
            } else {
                try cursor.skipValue()
            }
        }
        try cursor.finish()
    }

    /// `candidates[0]`; later candidates are checked and skipped.
    private static func readFirstCandidate(_ cursor: inout JSONCursor, into chunk: inout GeminiChunk, scratch: inout FastJSONParser.Scratch) throws {
        guard try cursor.kind() == .array else { throw FastPathMiss() }
        try cursor.enterArray()
        guard try cursor.nextElement() else { return }
        guard try cursor.kind() == .object else { throw FastPathMiss() }
        try cursor.enterObject()
        while let name = try cursor.nextMember() {
            if name.matches("content") {
                chunk.parts.removeAll(keepingCapacity: true)
                try readContent(&cursor, into: &chunk, scratch: &scratch)
            } else if name.matches("finishReason") {
                chunk.finishReason = try cursor.value(scratch: &scratch).stringValue
            } else {
                try cursor.skipValue()
            }
        }
        while try cursor.nextElement() { try cursor.skipValue() }
    }

    private static func readContent(_ cursor: inout JSONCursor, into chunk: inout GeminiChunk, scratch: inout FastJSONParser.Scratch) throws {
        guard try cursor.kind() == .object else { throw FastPathMiss() }
        try cursor.enterObject()
        while let name = try cursor.nextMember() {
            guard name.matches("parts") else {
                try cursor.skipValue()
                continue
            }
            chunk.parts.removeAll(keepingCapacity: true)
            guard try cursor.kind() == .array else { throw FastPathMiss() }
            try cursor.enterArray()
            while try cursor.nextElement() {
                guard try cursor.kind() == .object else { throw FastPathMiss() }
                chunk.parts.append(try readPart(&cursor, scratch: &scratch))
            }
        }
    }

    private static func readPart(_ cursor: inout JSONCursor, scratch: inout FastJSONParser.Scratch) throws -> GeminiChunk.Part {
        var part = GeminiChunk.Part()
        try cursor.enterObject()
        while let name = try cursor.nextMember() {
            if name.matches("text") {
                part.text = try cursor.value(scratch: &scratch).stringValue
            } else if name.matches("thought") {
                part.isThought = try cursor.value(scratch: &scratch).boolValue == true
            } else if name.matches("thoughtSignature") {
                part.signature = try cursor.value(scratch: &scratch).stringValue.flatMap { $0.isEmpty ? nil : $0 }
            } else if name.matches("functionCall") {
                part.functionCall = try cursor.value(scratch: &scratch)
            } else {
                try cursor.skipValue()
            }
        }
        return part
    }

    private static func readUsage(_ cursor: inout JSONCursor, scratch: inout FastJSONParser.Scratch) throws -> TokenUsage {
        guard try cursor.kind() == .object else { throw FastPathMiss() }
        var prompt = 0
        var candidates = 0
        var thoughts = 0
        var cached = 0
        try cursor.enterObject()
        while let name = try cursor.nextMember() {
            if name.matches("promptTokenCount") {
                prompt = try cursor.value(scratch: &scratch).intValue ?? 0
            } else if name.matches("candidatesTokenCount") {
                candidates = try cursor.value(scratch: &scratch).intValue ?? 0
            } else if name.matches("thoughtsTokenCount") {
                thoughts = try cursor.value(scratch: &scratch).intValue ?? 0
            } else if name.matches("cachedContentTokenCount") {
                cached = try cursor.value(scratch: &scratch).intValue ?? 0
            } else {
                try cursor.skipValue()
            }
        }
        return GeminiChunk.usage(prompt: prompt, candidates: candidates, thoughts: thoughts, cached: cached)
    }
}
