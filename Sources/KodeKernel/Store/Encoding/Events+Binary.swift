import Foundation

/// The binary encoding of the event payloads that make up nearly every log record: streamed
/// chunks, state and breakpoint changes, checkpoints, turn ends, token usage and the tool
/// lifecycle. Rarer events stay JSON in the log (see `BinaryRecordBody`).
extension ByteWriter {
    mutating func chunkBoundary(_ boundary: ChunkBoundary) {
        string(boundary.messageId)
    }

    mutating func chunkDelta(_ delta: ChunkDelta) {
        string(delta.messageId)
        string(delta.delta)
    }

    mutating func stateChange(_ change: StateChangedEvent) {
        string(change.from.rawValue)
        string(change.to.rawValue)
    }

    mutating func breakpointChange(_ change: BreakpointChangedEvent) {
        string(change.from.rawValue)
        string(change.to.rawValue)
    }

    mutating func done(_ done: DoneEvent) {
        u64(done.bookmark.seq)
        date(done.bookmark.timestamp)
        string(done.reason.rawValue)
        list(done.inputIds) { $0.string($1) }
    }

    mutating func tokenUsage(_ event: TokenUsageEvent) {
        usage(event.usage)
        usage(event.total)
        optional(event.costUSD) { $0.double($1) }
        optional(event.totalCostUSD) { $0.double($1) }
    }

    mutating func toolStart(_ event: ToolStartEvent) {
        string(event.callId)
        string(event.name)
        json(event.input)
    }

    mutating func toolEnd(_ event: ToolEndEvent) {
        string(event.callId)
        string(event.name)
        string(event.state.rawValue)
        bool(event.isError)
        optional(event.durationMs) { $0.double($1) }
        string(event.outputPreview)
    }

    mutating func toolExecuted(_ event: ToolExecutedEvent) {
        string(event.callId)
        string(event.name)
        string(event.state.rawValue)
        optional(event.durationMs) { $0.double($1) }
        string(event.approval)
        string(event.inputPreview)
        int(event.outputBytes)
        bool(event.isError)
    }
}

extension ByteReader {
    mutating func chunkBoundary() throws(BinaryDecodingFailure) -> ChunkBoundary {
        ChunkBoundary(messageId: try string())
    }

    mutating func chunkDelta() throws(BinaryDecodingFailure) -> ChunkDelta {
        ChunkDelta(messageId: try string(), delta: try string())
    }

    mutating func stateChange() throws(BinaryDecodingFailure) -> StateChangedEvent {
        StateChangedEvent(from: try raw(RuntimeState.self), to: try raw(RuntimeState.self))
    }

    mutating func breakpointChange() throws(BinaryDecodingFailure) -> BreakpointChangedEvent {
        BreakpointChangedEvent(from: try raw(Breakpoint.self), to: try raw(Breakpoint.self))
    }

    mutating func done() throws(BinaryDecodingFailure) -> DoneEvent {
        DoneEvent(
            bookmark: Bookmark(seq: try u64(), timestamp: try date()), reason: try raw(TurnEnd.self),
            inputIds: try list(minimumSize: 4) { r throws(BinaryDecodingFailure) in try r.string() })
    }

    mutating func tokenUsage() throws(BinaryDecodingFailure) -> TokenUsageEvent {
        TokenUsageEvent(
            usage: try usage(), total: try usage(),
            costUSD: try optional { r throws(BinaryDecodingFailure) in try r.double() },
            totalCostUSD: try optional { r throws(BinaryDecodingFailure) in try r.double() })
    }

    mutating func toolStart() throws(BinaryDecodingFailure) -> ToolStartEvent {
        ToolStartEvent(callId: try string(), name: try string(), input: try json(depth: 0))
    }

    mutating func toolEnd() throws(BinaryDecodingFailure) -> ToolEndEvent {
        ToolEndEvent(
            callId: try string(), name: try string(), state: try raw(ToolCallState.self), isError: try bool(),
            durationMs: try optional { r throws(BinaryDecodingFailure) in try r.double() }, outputPreview: try string())
    }

    mutating func toolExecuted() throws(BinaryDecodingFailure) -> ToolExecutedEvent {
        ToolExecutedEvent(
            callId: try string(), name: try string(), state: try raw(ToolCallState.self),
            durationMs: try optional { r throws(BinaryDecodingFailure) in try r.double() },
            approval: try string(), inputPreview: try string(), outputBytes: try int(), isError: try bool())
    }
}
