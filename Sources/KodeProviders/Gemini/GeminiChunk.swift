import KodeKernel

/// One `GenerateContentResponse` chunk reduced to the fields the decoder acts on. The fast byte
/// walk (`GeminiFastPath`) and the general `JSONValue` path both fill it, so the decoder's
/// behaviour is written once.
package struct GeminiChunk {
    /// One object of `candidates[0].content.parts`.
    struct Part {
        var text: String? = nil
        /// `thought: true`: the text is thinking.
        var isThought = false
        /// A non-empty `thoughtSignature`.
        var signature: String? = nil
        var functionCall: JSONValue? = nil
    }

    var responseId: String? = nil
    var modelVersion: String? = nil
    /// The object parts of the first candidate, in order. The storage is reused chunk to chunk.
    var parts: [Part] = []
    var finishReason: String? = nil
    /// From `usageMetadata`, when present.
    var usage: TokenUsage? = nil
    /// `promptFeedback.blockReason`, when the prompt was blocked.
    var blocked: String? = nil

    /// An empty chunk.
    package init() {}

    /// Empties the chunk, keeping the parts' storage.
    mutating func reset() {
        responseId = nil
        modelVersion = nil
        parts.removeAll(keepingCapacity: true)
        finishReason = nil
        usage = nil
        blocked = nil
    }

    /// Usage as Kode counts it: cached tokens are part of Gemini's prompt count, and thinking
    /// tokens are output.
    static func usage(prompt: Int, candidates: Int, thoughts: Int, cached: Int) -> TokenUsage {
        TokenUsage(input: max(0, prompt - cached), output: candidates + thoughts, cacheRead: cached, cacheWrite: 0)
    }

    /// The general path: fills the chunk from a parsed response. Throws the vendor's error for a
    /// chunk with an `error` member.
    mutating func fill(parsed response: [String: JSONValue]) throws(ModelError) {
        reset()
        if let error = response["error"] { throw GeminiStreamDecoder.streamError(error) }
        responseId = response["responseId"]?.stringValue
        modelVersion = response["modelVersion"]?.stringValue
        if case .object(let candidate)? = response["candidates"]?.arrayValue?.first {
            for case .object(let part) in candidate["content"]?["parts"]?.arrayValue ?? [] {
                parts.append(Part(
                    text: part["text"]?.stringValue, isThought: part["thought"]?.boolValue == true,
                    signature: part["thoughtSignature"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 },
                    functionCall: part["functionCall"]))
            }
            finishReason = candidate["finishReason"]?.stringValue
        }
        if let metadata = response["usageMetadata"] {
            usage = Self.usage(
                prompt: metadata.count("promptTokenCount"), candidates: metadata.count("candidatesTokenCount"),
                thoughts: metadata.count("thoughtsTokenCount"), cached: metadata.count("cachedContentTokenCount"))
        }
        blocked = response["promptFeedback"]?["blockReason"]?.stringValue
    }
}
