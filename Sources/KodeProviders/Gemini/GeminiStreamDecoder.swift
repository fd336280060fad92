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

    /// A decoder at the start of a reply.
    public init() {}

    /// Decodes one event (see `ModelStreamDecoder`).
    public mutating func decode(_ event: SSEEvent, into output: inout [ModelStreamEvent]) throws(ModelError) {
        let json = try EventPayload.parse(event, vendor: "gemini")
        if let error = json["error"] {
            throw Self.streamError(error)
        }
        if !started {
            started = true
            output.append(.messageStart(id: json["responseId"]?.stringValue, model: json["modelVersion"]?.stringValue))
        }
        let candidate = json["candidates"]?.arrayValue?.first
        for part in candidate?["content"]?["parts"]?.arrayValue ?? [] {
            try self.part(part, event: event, into: &output)
        }
        if let metadata = json["usageMetadata"] {
            let cached = metadata.count("cachedContentTokenCount")
            output.append(.usage(TokenUsage(
                input: max(0, metadata.count("promptTokenCount") - cached),
                output: metadata.count("candidatesTokenCount") + metadata.count("thoughtsTokenCount"),
                cacheRead: cached, cacheWrite: 0)))
        }
        if let reason = candidate?["finishReason"]?.stringValue, reason != "FINISH_REASON_UNSPECIFIED" {
            finishReason = reason
        }
        if finishReason == nil, let blocked = json["promptFeedback"]?["blockReason"]?.stringValue {
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

    private mutating func part(_ part: JSONValue, event: SSEEvent, into output: inout [ModelStreamEvent]) throws(ModelError) {
        let signature = part["thoughtSignature"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        if let call = part["functionCall"] {
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
        if let text = part["text"]?.stringValue, !text.isEmpty {
            output.append(part["thought"]?.boolValue == true ? .thinkingDelta(text) : .textDelta(text))
        }
        if let signature { output.append(.thinkingSignature(signature)) }
    }

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
