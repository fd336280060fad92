import KodeKernel

/// Decodes chat completion chunks: `choices[0].delta` with `content`, `reasoning_content` (or
/// `reasoning`), and `tool_calls` keyed by `index` whose `function.arguments` arrive in pieces;
/// `finish_reason`; the usage-only chunk of `stream_options.include_usage`; and `data: [DONE]`.
public struct OpenAIStreamDecoder: ModelStreamDecoder {
    private var started = false
    /// Tool-call indexes that have started and not yet ended, in the order they started.
    private var openCalls: [Int] = []
    private var finishReason: StopReason?
    private var usage = TokenUsage()
    /// Whether `[DONE]` arrived.
    public private(set) var isComplete = false

    /// A decoder at the start of a reply.
    public init() {}

    /// Decodes one event (see `ModelStreamDecoder`).
    public mutating func decode(_ event: SSEEvent, into output: inout [ModelStreamEvent]) throws(ModelError) {
        if event.data == "[DONE]" {
            complete(into: &output)
            return
        }
        let json = try EventPayload.parse(event, vendor: "openai")
        if let error = json["error"], error != .null {
            throw Self.streamError(error)
        }
        if !started {
            started = true
            output.append(.messageStart(id: json["id"]?.stringValue, model: json["model"]?.stringValue))
        }
        if let choice = json["choices"]?.arrayValue?.first {
            let delta = choice["delta"]
            if let thinking = delta?["reasoning_content"]?.stringValue ?? delta?["reasoning"]?.stringValue, !thinking.isEmpty {
                output.append(.thinkingDelta(thinking))
            }
            if let text = delta?["content"]?.stringValue, !text.isEmpty {
                output.append(.textDelta(text))
            }
            for call in delta?["tool_calls"]?.arrayValue ?? [] {
                try toolCall(call, event: event, into: &output)
            }
            if let reason = choice["finish_reason"]?.stringValue {
                closeCalls(into: &output)
                finishReason = Self.stopReason(reason)
            }
        }
        if let reported = json["usage"], reported != .null {
            let cached = reported["prompt_tokens_details"]?.count("cached_tokens") ?? reported.count("prompt_cache_hit_tokens")
            usage = TokenUsage(
                input: max(0, reported.count("prompt_tokens") - cached), output: reported.count("completion_tokens"),
                cacheRead: cached, cacheWrite: 0)
            output.append(.usage(usage))
        }
    }

    /// Ends the reply. A server that closes right after a `finish_reason` without `[DONE]`
    /// still gave a whole reply (some local servers do); anything earlier is a cut stream.
    public mutating func finish(into output: inout [ModelStreamEvent]) throws(ModelError) {
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

    private mutating func toolCall(_ call: JSONValue, event: SSEEvent, into output: inout [ModelStreamEvent]) throws(ModelError) {
        // Servers that stream one call at a time sometimes omit the index: it is then the
        // most recent call, or the first.
        let index = call["index"]?.intValue ?? openCalls.last ?? 0
        let function = call["function"]
        if !openCalls.contains(index) {
            let name = function?["name"]?.stringValue ?? ""
            guard !name.isEmpty else {
                throw ModelError(.malformed, "openai: tool call \(index) has arguments before a name in the '\(event.event)' event")
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
