@_spi(KodeInternals) import KodeKernel

/// Decodes the Messages API event stream: `message_start`, `content_block_start` / `_delta` /
/// `_stop` (text, thinking, signature and tool-input deltas; `redacted_thinking` blocks, kept as
/// described in `RedactedThinking`), `message_delta` (stop reason and usage), `message_stop`
/// (the end marker), `ping`, and `error`.
package struct AnthropicStreamDecoder: ModelStreamDecoder {
    private enum BlockKind { case text, thinking, toolUse, other }
    private var blocks: [Int: BlockKind] = [:]
    private var stopReason: StopReason = .endTurn
    private var usage = TokenUsage()
    /// Whether `message_stop` arrived.
    package private(set) var isComplete = false

    /// Parser storage reused for every chunk.
    private var scratch = FastJSONParser.Scratch()
    /// Whether deltas are read by `AnthropicFastPath`; tests turn it off to check that the
    /// general path decodes every transcript the same way.
    package var usesFastPath = true

    /// A decoder at the start of a reply.
    package init() {}

    /// Decodes one event from its raw `data` bytes (see `ModelStreamDecoder`).
    package mutating func decode(event name: String, data: UnsafeRawBufferPointer, into output: inout [ModelStreamEvent]) throws(ModelError) {
        // Deltas are nearly every event of a reply: they are read straight from the bytes.
        if usesFastPath, let block = AnthropicFastPath.read(data, scratch: &scratch) {
            apply(block, into: &output)
            return
        }
        let json = try EventPayload.parse(data, event: name, vendor: "anthropic", scratch: &scratch)
        // The `type` member is authoritative; the SSE event name is a fallback.
        let type = json["type"]?.stringValue ?? name
        switch type {
        case "message_start":
            let message = json["message"]
            output.append(.messageStart(id: message?["id"]?.stringValue, model: message?["model"]?.stringValue))
            if let reported = message?["usage"] { mergeUsage(reported, into: &output) }
        case "content_block_start":
            let index = try self.index(json, name)
            let block = json["content_block"]
            switch block?["type"]?.stringValue {
            case "text":
                blocks[index] = .text
                if let text = block?["text"]?.stringValue, !text.isEmpty { output.append(.textDelta(text)) }
            case "thinking":
                blocks[index] = .thinking
                if let text = block?["thinking"]?.stringValue, !text.isEmpty { output.append(.thinkingDelta(text)) }
                if let signature = block?["signature"]?.stringValue, !signature.isEmpty { output.append(.thinkingSignature(signature)) }
            case "redacted_thinking":
                // Sent back unchanged in later requests: carried in the thinking signature.
                blocks[index] = .other
                if let data = block?["data"]?.stringValue { output.append(.thinkingSignature(RedactedThinking.signaturePiece(data: data))) }
            case "tool_use", "server_tool_use":
                blocks[index] = .toolUse
                guard let id = block?["id"]?.stringValue, let toolName = block?["name"]?.stringValue else {
                    throw ModelError(.malformed, "anthropic: a tool_use block without id or name in the '\(name)' event")
                }
                output.append(.toolUseStart(index: index, id: id, name: toolName))
            default:
                blocks[index] = .other
            }
        case "content_block_delta":
            let index = try self.index(json, name)
            apply(.delta(index: index, Self.delta(json["delta"])), into: &output)
        case "content_block_stop":
            apply(.blockStop(index: try self.index(json, name)), into: &output)
        case "message_delta":
            if let reason = json["delta"]?["stop_reason"]?.stringValue { stopReason = Self.stopReason(reason) }
            if let reported = json["usage"] { mergeUsage(reported, into: &output) }
        case "message_stop":
            isComplete = true
            output.append(.messageStop(stopReason))
        case "ping":
            apply(.ping, into: &output)
        case "error":
            throw Self.streamError(json["error"])
        default:
            break  // new event types are ignored, as the API's versioning policy asks
        }
    }

    /// Checks that `message_stop` arrived.
    package mutating func finish(into output: inout [ModelStreamEvent]) throws(ModelError) {
        guard isComplete else {
            throw ModelError(.streamCut, "anthropic: the stream ended before message_stop")
        }
    }

    /// Acts on a delta, a block's end or a ping, however it was read.
    private mutating func apply(_ block: AnthropicBlockEvent, into output: inout [ModelStreamEvent]) {
        switch block {
        case .delta(let index, let delta):
            switch delta {
            case .text(let text): output.append(.textDelta(text))
            case .thinking(let text): output.append(.thinkingDelta(text))
            case .signature(let signature): output.append(.thinkingSignature(signature))
            case .inputJSON(let piece): if !piece.isEmpty { output.append(.toolInputDelta(index: index, json: piece)) }
            case .none: break  // citations and future delta kinds carry nothing the kernel keeps
            }
        case .blockStop(let index):
            if blocks[index] == .toolUse { output.append(.toolUseEnd(index: index)) }
        case .ping:
            break
        }
    }

    /// A parsed `delta` object, read by the same rules as the fast path's.
    private static func delta(_ delta: JSONValue?) -> AnthropicBlockEvent.Delta {
        switch delta?["type"]?.stringValue {
        case "text_delta": return delta?["text"]?.stringValue.map { .text($0) } ?? .none
        case "thinking_delta": return delta?["thinking"]?.stringValue.map { .thinking($0) } ?? .none
        case "signature_delta": return delta?["signature"]?.stringValue.map { .signature($0) } ?? .none
        case "input_json_delta": return delta?["partial_json"]?.stringValue.map { .inputJSON($0) } ?? .none
        default: return .none
        }
    }

    private func index(_ json: JSONValue, _ event: String) throws(ModelError) -> Int {
        guard let index = json["index"]?.intValue else {
            throw ModelError(.malformed, "anthropic: the '\(event)' event has no block index")
        }
        return index
    }

    /// Usage arrives in `message_start` (input and cache counts) and `message_delta` (output,
    /// cumulative); non-zero values replace earlier ones.
    private mutating func mergeUsage(_ reported: JSONValue, into output: inout [ModelStreamEvent]) {
        let fresh = TokenUsage(
            input: reported.count("input_tokens"), output: reported.count("output_tokens"),
            cacheRead: reported.count("cache_read_input_tokens"), cacheWrite: reported.count("cache_creation_input_tokens"))
        if fresh.input > 0 { usage.input = fresh.input }
        if fresh.output > 0 { usage.output = fresh.output }
        if fresh.cacheRead > 0 { usage.cacheRead = fresh.cacheRead }
        if fresh.cacheWrite > 0 { usage.cacheWrite = fresh.cacheWrite }
        output.append(.usage(usage))
    }

    static func stopReason(_ text: String) -> StopReason {
        switch text {
        case "end_turn": return .endTurn
        case "tool_use": return .toolUse
        case "max_tokens": return .maxTokens
        case "stop_sequence": return .stopSequence
        default: return .other(text)
        }
    }

    static func streamError(_ error: JSONValue?) -> ModelError {
        let type = error?["type"]?.stringValue ?? "error"
        let message = SafeText.clean(error?["message"]?.stringValue ?? "no message", hiding: nil)
        let kind: ModelError.Kind
        switch type {
        case "overloaded_error", "rate_limit_error": kind = .rateLimited
        case "api_error": kind = .server
        case "authentication_error", "permission_error": kind = .authentication
        default: kind = .badRequest
        }
        return ModelError(kind, "anthropic: \(type): \(message)")
    }
}
