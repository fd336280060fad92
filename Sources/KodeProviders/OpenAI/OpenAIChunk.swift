import KodeKernel

/// One chat completion chunk reduced to the fields the decoder acts on. The fast byte walk
/// (`OpenAIFastPath`) and the general `JSONValue` path both produce it, so the decoder's
/// behaviour is written once.
package struct OpenAIChunk {
    /// What `choices[0]` carried.
    struct Choice {
        /// `reasoning_content` (DeepSeek, Qwen), else `reasoning` (some local servers).
        var thinking: String? = nil
        var text: String? = nil
        var toolCalls: [JSONValue]? = nil
        var finishReason: String? = nil
    }

    package var id: String? = nil
    package var model: String? = nil
    /// Nil when `choices` is missing, empty, or its first element is not an object.
    var choice: Choice? = nil
    /// The `usage` object when present and not null.
    var usage: JSONValue? = nil

    /// The general path: fields from a parsed chunk. Throws the vendor's error for a chunk
    /// with a non-null `error` member.
    init(parsed chunk: [String: JSONValue]) throws(ModelError) {
        if let error = chunk["error"], error != .null { throw OpenAIStreamDecoder.streamError(error) }
        id = chunk["id"]?.stringValue
        model = chunk["model"]?.stringValue
        if case .object(let first)? = chunk["choices"]?.arrayValue?.first {
            var choice = Choice()
            if case .object(let delta)? = first["delta"] {
                choice.thinking = delta["reasoning_content"]?.stringValue ?? delta["reasoning"]?.stringValue
                choice.text = delta["content"]?.stringValue
                choice.toolCalls = delta["tool_calls"]?.arrayValue
            }
            choice.finishReason = first["finish_reason"]?.stringValue
            self.choice = choice
        }
        if let reported = chunk["usage"], reported != .null { usage = reported }
    }

    /// An empty chunk, filled in by the fast path.
    init() {}
}
