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

    /// Parser storage reused for every chunk.
    private var scratch = FastJSONParser.Scratch()

    /// A decoder at the start of a reply.
    public init() {}

    /// Decodes one event (see `ModelStreamDecoder`).
    public mutating func decode(_ event: SSEEvent, into output: inout [ModelStreamEvent]) throws(ModelError) {
        if event.data == "[DONE]" {
            complete(into: &output)
            return
        }
        let json = try EventPayload.parse(event, vendor: "openai", skipping: started ? Self.ignoredLaterKeys : Self.ignoredKeys, scratch: &scratch)
        guard case .object(let chunk) = json else {
            throw ModelError(.malformed, "openai: the '\(event.event)' event is not a JSON object")
        }
        // One pass over each object's few members instead of a hash lookup per possible field.
        var choices: [JSONValue]? = nil
        var reported: JSONValue? = nil
        for (key, value) in chunk {
            switch key {
            case "choices": choices = value.arrayValue
            case "usage": reported = value
            case "error" where value != .null: throw Self.streamError(value)
            default: break
            }
        }
        if !started {
            started = true
            output.append(.messageStart(id: chunk["id"]?.stringValue, model: chunk["model"]?.stringValue))
        }
        if case .object(let choice)? = choices?.first {
            var finish: String? = nil
            for (key, value) in choice {
                switch key {
                case "delta":
                    guard case .object(let delta) = value else { continue }
                    try self.delta(delta, event: event, into: &output)
                case "finish_reason":
                    finish = value.stringValue
                default:
                    break
                }
            }
            if let finish {
                closeCalls(into: &output)
                finishReason = Self.stopReason(finish)
            }
        }
        if let reported, reported != .null {
            let cached = reported["prompt_tokens_details"]?.count("cached_tokens") ?? reported.count("prompt_cache_hit_tokens")
            usage = TokenUsage(
                input: max(0, reported.count("prompt_tokens") - cached), output: reported.count("completion_tokens"),
                cacheRead: cached, cacheWrite: 0)
            output.append(.usage(usage))
        }
    }

    /// Thinking first, then text, then tool calls, whatever order the members came in.
    private mutating func delta(_ delta: [String: JSONValue], event: SSEEvent, into output: inout [ModelStreamEvent]) throws(ModelError) {
        var thinking: String? = nil
        var text: String? = nil
        var calls: [JSONValue]? = nil
        for (key, value) in delta {
            switch key {
            case "reasoning_content", "reasoning": if thinking == nil { thinking = value.stringValue }
            case "content": text = value.stringValue
            case "tool_calls": calls = value.arrayValue
            default: break
            }
        }
        if let thinking, !thinking.isEmpty { output.append(.thinkingDelta(thinking)) }
        if let text, !text.isEmpty { output.append(.textDelta(text)) }
        for call in calls ?? [] { try toolCall(call, event: event, into: &output) }
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
