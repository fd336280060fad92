@_spi(KodeInternals) import KodeKernel

/// Decodes `streamGenerateContent?alt=sse` chunks: each `data:` is a whole
/// `GenerateContentResponse` whose `candidates[0].content.parts[]` hold `text` (with
/// `thought: true` for thinking), `thoughtSignature` and complete `functionCall`s, plus
/// `usageMetadata`. Gemini has no end marker: a `finishReason` ends the reply.
package struct GeminiStreamDecoder: ModelStreamDecoder {
    private var started = false
    private var nextCallIndex = 0
    private var finishReason: String?
    /// Whether a `finishReason` arrived.
    package var isComplete: Bool { finishReason != nil }

    /// Parser storage reused for every chunk.
    private var scratch = FastJSONParser.Scratch()
    /// The chunk being decoded, kept so that its parts' storage is reused.
    private var chunk = GeminiChunk()
    /// Whether chunks are read by `GeminiFastPath` first; tests turn it off to check that the
    /// general path decodes every transcript the same way.
    package var usesFastPath = true

    /// A decoder at the start of a reply.
    package init() {}

    /// Decodes one event from its raw `data` bytes (see `ModelStreamDecoder`).
    package mutating func decode(event name: String, data: UnsafeRawBufferPointer, into output: inout [ModelStreamEvent]) throws(ModelError) {
        // The chunk is moved out while it is filled and applied, so that applying it (which
        // mutates the decoder) does not overlap an access to it.
        var chunk = GeminiChunk()
        swap(&chunk, &self.chunk)
        defer { swap(&chunk, &self.chunk) }
        if !(usesFastPath && GeminiFastPath.read(data, needsIdentity: !started, into: &chunk, scratch: &scratch)) {
            let json = try EventPayload.parse(
                data, event: name, vendor: "gemini", skipping: started ? Self.ignoredLaterKeys : Self.ignoredKeys, scratch: &scratch)
            guard case .object(let response) = json else {
                throw ModelError(.malformed, "gemini: the '\(name)' event is not a JSON object")
            }
            try chunk.fill(parsed: response)
        }
        try apply(chunk, event: name, into: &output)
    }

    /// Acts on one chunk, however it was read.
    private mutating func apply(_ chunk: GeminiChunk, event: String, into output: inout [ModelStreamEvent]) throws(ModelError) {
        if !started {
            started = true
            output.append(.messageStart(id: chunk.responseId, model: chunk.modelVersion))
        }
        for part in chunk.parts { try self.part(part, event: event, into: &output) }
        if let usage = chunk.usage { output.append(.usage(usage)) }
        if let reason = chunk.finishReason, reason != "FINISH_REASON_UNSPECIFIED" {
            finishReason = reason
        }
        if finishReason == nil, let blocked = chunk.blocked {
            throw ModelError(.badRequest, "gemini: the prompt was blocked (\(blocked))")
        }
    }

    /// Ends the reply with its stop reason, or reports a cut stream if no `finishReason` came.
    package mutating func finish(into output: inout [ModelStreamEvent]) throws(ModelError) {
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

    private mutating func part(_ part: GeminiChunk.Part, event: String, into output: inout [ModelStreamEvent]) throws(ModelError) {
        if let call = part.functionCall {
            guard let name = call["name"]?.stringValue, !name.isEmpty else {
                throw ModelError(.malformed, "gemini: a functionCall without a name in the '\(event)' event")
            }
            if let signature = part.signature { output.append(.thinkingSignature(signature)) }
            let index = nextCallIndex
            nextCallIndex += 1
            let id = call["id"]?.stringValue ?? "call_\(ShortID.make())"
            output.append(.toolUseStart(index: index, id: id, name: name))
            output.append(.toolInputDelta(index: index, json: (call["args"] ?? .object([:])).compactText))
            output.append(.toolUseEnd(index: index))
            return
        }
        if let text = part.text, !text.isEmpty {
            output.append(part.isThought ? .thinkingDelta(text) : .textDelta(text))
        }
        if let signature = part.signature { output.append(.thinkingSignature(signature)) }
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
