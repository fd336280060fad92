import KodeKernel

/// Decodes `streamGenerateContent?alt=sse` chunks: each `data:` is a whole
/// `GenerateContentResponse` whose `candidates[0].content.parts[]` hold `text` (with
/// `thought: true` for thinking), `thoughtSignature` and complete `functionCall`s, plus
/// `usageMetadata`. Gemini has no end marker: a `finishReason` ends the reply.
public struct GeminiStreamDecoder: ModelStreamDecoder {
    private var started = false
    private var nextCallIndex = 0
    private var finishReason: String?
    /// Whether a `finishReason` arrived.
    public var isComplete: Bool { finishReason != nil }

    /// Parser storage reused for every chunk.
    private var scratch = FastJSONParser.Scratch()

    /// A decoder at the start of a reply.
    public init() {}

    /// Decodes one event (see `ModelStreamDecoder`).
    public mutating func decode(_ event: SSEEvent, into output: inout [ModelStreamEvent]) throws(ModelError) {
        let json = try EventPayload.parse(event, vendor: "gemini", skipping: started ? Self.ignoredLaterKeys : Self.ignoredKeys, scratch: &scratch)
        guard case .object(let chunk) = json else {
            throw ModelError(.malformed, "gemini: the '\(event.event)' event is not a JSON object")
        }
        // One pass over each object's few members instead of a hash lookup per possible field.
        var candidates: [JSONValue]? = nil
        var metadata: JSONValue? = nil
        var blocked: String? = nil
        for (key, value) in chunk {
            switch key {
            case "candidates": candidates = value.arrayValue
            case "usageMetadata": metadata = value
            case "error": throw Self.streamError(value)
            case "promptFeedback": blocked = value["blockReason"]?.stringValue
            default: break
            }
        }
        if !started {
            started = true
            output.append(.messageStart(id: chunk["responseId"]?.stringValue, model: chunk["modelVersion"]?.stringValue))
        }
        var reason: String? = nil
        if case .object(let candidate)? = candidates?.first {
            for (key, value) in candidate {
                switch key {
                case "content":
                    for part in value["parts"]?.arrayValue ?? [] {
                        guard case .object(let members) = part else { continue }
                        try self.part(members, event: event, into: &output)
                    }
                case "finishReason":
                    reason = value.stringValue
                default:
                    break
                }
            }
        }
        if let metadata {
            let cached = metadata.count("cachedContentTokenCount")
            output.append(.usage(TokenUsage(
                input: max(0, metadata.count("promptTokenCount") - cached),
                output: metadata.count("candidatesTokenCount") + metadata.count("thoughtsTokenCount"),
                cacheRead: cached, cacheWrite: 0)))
        }
        if let reason, reason != "FINISH_REASON_UNSPECIFIED" {
            finishReason = reason
        }
        if finishReason == nil, let blocked {
            throw ModelError(.badRequest, "gemini: the prompt was blocked (\(blocked))")
        }
    }

    /// Ends the reply with its stop reason, or reports a cut stream if no `finishReason` came.
    public mutating func finish(into output: inout [ModelStreamEvent]) throws(ModelError) {
        guard let finishReason else {
            throw ModelError(.streamCut, "gemini: the stream ended before a finishReason")
        }
        let reason: StopReason
        switch finishReason {
        case "STOP": reason = nextCallIndex > 0 ? .toolUse : .endTurn
        case "MAX_TOKENS": reason = .maxTokens
        default: reason = nextCallIndex > 0 ? .toolUse : .other(finishReason)
        }
        output.append(.messageStop(reason))
    }

    private mutating func part(_ part: [String: JSONValue], event: SSEEvent, into output: inout [ModelStreamEvent]) throws(ModelError) {
        var text: String? = nil
        var isThought = false
        var signature: String? = nil
        var call: JSONValue? = nil
        for (key, value) in part {
            switch key {
            case "text": text = value.stringValue
            case "thought": isThought = value.boolValue == true
            case "thoughtSignature": signature = value.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            case "functionCall": call = value
            default: break
            }
        }
        if let call {
            guard let name = call["name"]?.stringValue, !name.isEmpty else {
                throw ModelError(.malformed, "gemini: a functionCall without a name in the '\(event.event)' event")
            }
            if let signature { output.append(.thinkingSignature(signature)) }
            let index = nextCallIndex
            nextCallIndex += 1
            let id = call["id"]?.stringValue ?? "call_\(ShortID.make())"
            output.append(.toolUseStart(index: index, id: id, name: name))
            output.append(.toolInputDelta(index: index, json: (call["args"] ?? .object([:])).compactText))
            output.append(.toolUseEnd(index: index))
            return
        }
        if let text, !text.isEmpty {
            output.append(isThought ? .thinkingDelta(text) : .textDelta(text))
        }
        if let signature { output.append(.thinkingSignature(signature)) }
    }

    /// Fields on every chunk that the decoder never reads.
    static let ignoredKeys = FastJSONParser.SkippedKeys([
        "index", "role", "safetyRatings", "citationMetadata", "avgLogprobs", "totalTokenCount",
        "promptTokensDetails", "candidatesTokensDetails", "cacheTokensDetails", "createTime",
    ])
    /// After the first chunk the response id and model version are known too.
    static let ignoredLaterKeys = FastJSONParser.SkippedKeys([
        "index", "role", "safetyRatings", "citationMetadata", "avgLogprobs", "totalTokenCount",
        "promptTokensDetails", "candidatesTokensDetails", "cacheTokensDetails", "createTime", "responseId", "modelVersion",
    ])

    static func streamError(_ error: JSONValue) -> ModelError {
        let status = error["status"]?.stringValue ?? "ERROR"
        let message = SafeText.clean(error["message"]?.stringValue ?? "no message", hiding: nil)
        let kind: ModelError.Kind
        switch status {
        case "RESOURCE_EXHAUSTED", "UNAVAILABLE": kind = .rateLimited
        case "INTERNAL": kind = .server
        case "UNAUTHENTICATED", "PERMISSION_DENIED": kind = .authentication
        default: kind = .badRequest
        }
        return ModelError(kind, "gemini: \(status): \(message)")
    }
}
