@_spi(KodeInternals) import KodeKernel

/// Decodes chat completion chunks: `choices[0].delta` with `content`, `reasoning_content` (or
/// `reasoning`), and `tool_calls` keyed by `index` whose `function.arguments` arrive in pieces;
/// `finish_reason`; the usage-only chunk of `stream_options.include_usage`; and `data: [DONE]`.
package struct OpenAIStreamDecoder: ModelStreamDecoder {
    private var started = false
    /// Tool-call indexes that have started and not yet ended, in the order they started.
    private var openCalls: [Int] = []
    private var finishReason: StopReason?
    private var usage = TokenUsage()
    /// Whether `[DONE]` arrived.
    package private(set) var isComplete = false

    /// Parser storage reused for every chunk.
    private var scratch = FastJSONParser.Scratch()
    /// Whether chunks are read by `OpenAIFastPath` first; tests turn it off to check that the
    /// general path decodes every transcript the same way.
    package var usesFastPath = true

    /// A decoder at the start of a reply.
    package init() {}

    /// Decodes one event from its raw `data` bytes (see `ModelStreamDecoder`).
    package mutating func decode(event name: String, data: UnsafeRawBufferPointer, into output: inout [ModelStreamEvent]) throws(ModelError) {
        if data.elementsEqual("[DONE]".utf8) {
            complete(into: &output)
            return
        }
        if usesFastPath, let chunk = OpenAIFastPath.read(data, needsIdentity: !started, scratch: &scratch) {
            try apply(chunk, event: name, into: &output)
            return
        }
        let json = try EventPayload.parse(
            data, event: name, vendor: "openai", skipping: started ? Self.ignoredLaterKeys : Self.ignoredKeys, scratch: &scratch)
        guard case .object(let members) = json else {
            throw ModelError(.malformed, "openai: the '\(name)' event is not a JSON object")
        }
        try apply(OpenAIChunk(parsed: members), event: name, into: &output)
    }

    /// Acts on one chunk, however it was read: thinking first, then text, then tool calls,
    /// whatever order the members came in; then the finish reason and usage.
    private mutating func apply(_ chunk: OpenAIChunk, event: String, into output: inout [ModelStreamEvent]) throws(ModelError) {
        if !started {
            started = true
            output.append(.messageStart(id: chunk.id, model: chunk.model))
        }
        if let choice = chunk.choice {
            if let thinking = choice.thinking, !thinking.isEmpty { output.append(.thinkingDelta(thinking)) }
            if let text = choice.text, !text.isEmpty { output.append(.textDelta(text)) }
            for call in choice.toolCalls ?? [] { try toolCall(call, event: event, into: &output) }
            if let finish = choice.finishReason {
                closeCalls(into: &output)
                finishReason = Self.stopReason(finish)
            }
        }
        if let reported = chunk.usage {
            let cached = reported["prompt_tokens_details"]?.count("cached_tokens") ?? reported.count("prompt_cache_hit_tokens")
            usage = TokenUsage(
                input: max(0, reported.count("prompt_tokens") - cached), output: reported.count("completion_tokens"),
                cacheRead: cached, cacheWrite: 0)
            output.append(.usage(usage))
        }
    }

    /// Ends the reply. A server that closes right after a `finish_reason` without `[DONE]`
    /// still gave a whole reply (some local servers do); anything earlier is a cut stream.
    package mutating func finish(into output: inout [ModelStreamEvent]) throws(ModelError) {
        if isComplete { return }
        guard finishReason != nil else {
            throw ModelError(.streamCut, "openai: the stream ended before [DONE]")
        }
        complete(into: &output)
    }

    private mutating func complete(into output: inout [ModelStreamEvent]) {
        if !started {
            started = true
            output.append(.messageStart(id: nil, model: nil))
        }
        closeCalls(into: &output)
        isComplete = true
        output.append(.messageStop(finishReason ?? .endTurn))
    }

    private mutating func toolCall(_ call: JSONValue, event: String, into output: inout [ModelStreamEvent]) throws(ModelError) {
        // Servers that stream one call at a time sometimes omit the index: it is then the
        // most recent call, or the first.
        let index = call["index"]?.intValue ?? openCalls.last ?? 0
        let function = call["function"]
        if !openCalls.contains(index) {
            let name = function?["name"]?.stringValue ?? ""
            guard !name.isEmpty else {
                throw ModelError(.malformed, "openai: tool call \(index) has arguments before a name in the '\(event)' event")
            }
            let id = call["id"]?.stringValue ?? "call_\(ShortID.make())"
            openCalls.append(index)
            output.append(.toolUseStart(index: index, id: id, name: name))
        }
        if let piece = function?["arguments"]?.stringValue, !piece.isEmpty {
            output.append(.toolInputDelta(index: index, json: piece))
        }
    }

    private mutating func closeCalls(into output: inout [ModelStreamEvent]) {
        for index in openCalls { output.append(.toolUseEnd(index: index)) }
        openCalls.removeAll()
    }

    /// Bookkeeping fields on every chunk that the decoder never reads.
    static let ignoredKeys = FastJSONParser.SkippedKeys(["object", "created", "system_fingerprint", "service_tier", "logprobs", "obfuscation", "role"])
    /// After the first chunk the model is known too. (Not `id`: names are skipped at every
    /// level, and tool calls carry their own `id`.)
    static let ignoredLaterKeys = FastJSONParser.SkippedKeys(
        ["object", "created", "system_fingerprint", "service_tier", "logprobs", "obfuscation", "role", "model"])

    static func stopReason(_ text: String) -> StopReason {
        switch text {
        case "stop": return .endTurn
        case "tool_calls", "function_call": return .toolUse
        case "length": return .maxTokens
        default: return .other(text)
        }
    }

    static func streamError(_ error: JSONValue) -> ModelError {
        let message = SafeText.clean(error["message"]?.stringValue ?? error.stringValue ?? "no message", hiding: nil)
        let code = error["code"]?.stringValue ?? error["type"]?.stringValue ?? ""
        let lowered = (code + " " + message).lowercased()
        let kind: ModelError.Kind = lowered.contains("rate") || lowered.contains("overload") ? .rateLimited : .server
        return ModelError(kind, "openai: \(code.isEmpty ? "error" : code): \(message)")
    }
}
