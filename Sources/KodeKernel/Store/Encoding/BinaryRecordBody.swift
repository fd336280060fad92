import Foundation

/// The body of a type 2 (binary) log record: one kind byte, then that kind's fields in the
/// binary encoding shared with snapshots (docs/STORE-FORMAT.md, "Binary record bodies").
///
/// It covers the records an agent writes on every step (messages, tool-call records, queued
/// input, streamed chunks, state and breakpoint changes, checkpoints, turn ends, token usage,
/// the tool lifecycle). `JSONEncoder` and `JSONDecoder` cost about 10 µs per record, which
/// was most of a durable append's CPU time and of replaying the log after a crash; these take
/// well under one. Rarer events (approvals, errors, todos, file changes, …) stay type 1 JSON
/// records: they are too rare to matter, and JSON spares them a second schema.
enum BinaryRecordBody {
    /// Kind bytes. Part of the format: never renumber, only add.
    enum Kind: UInt8 {
        case message = 1
        case toolCall = 2
        case inputQueued = 3
        case textChunkStart = 16
        case textChunk = 17
        case textChunkEnd = 18
        case thinkChunkStart = 19
        case thinkChunk = 20
        case thinkChunkEnd = 21
        case stateChanged = 22
        case breakpointChanged = 23
        case checkpointCreated = 24
        case done = 25
        case tokenUsage = 26
        case toolStart = 27
        case toolEnd = 28
        case toolExecuted = 29
    }

    /// Appends the kind and fields and returns true, or returns false (writer untouched) for a
    /// body that is written as JSON.
    static func append(_ body: RecordBody, to w: inout ByteWriter) -> Bool {
        switch body {
        case .message(let message):
            w.u8(Kind.message.rawValue)
            w.message(message)
        case .toolCall(let call):
            w.u8(Kind.toolCall.rawValue)
            w.toolCall(call)
        case .inputQueued(let input):
            w.u8(Kind.inputQueued.rawValue)
            w.queuedInput(input)
        case .event(let event):
            return append(event, to: &w)
        case .compaction, .workspaceSnapshot, .rewind, .conversationRewound:
            // Rare (a compaction) or one per step at most, next to a snapshot that costs
            // milliseconds: a JSON body.
            return false
        }
        return true
    }

    private static func append(_ event: AgentEvent, to w: inout ByteWriter) -> Bool {
        switch event {
        case .textChunkStart(let e): w.u8(Kind.textChunkStart.rawValue); w.chunkBoundary(e)
        case .textChunk(let e): w.u8(Kind.textChunk.rawValue); w.chunkDelta(e)
        case .textChunkEnd(let e): w.u8(Kind.textChunkEnd.rawValue); w.chunkBoundary(e)
        case .thinkChunkStart(let e): w.u8(Kind.thinkChunkStart.rawValue); w.chunkBoundary(e)
        case .thinkChunk(let e): w.u8(Kind.thinkChunk.rawValue); w.chunkDelta(e)
        case .thinkChunkEnd(let e): w.u8(Kind.thinkChunkEnd.rawValue); w.chunkBoundary(e)
        case .stateChanged(let e): w.u8(Kind.stateChanged.rawValue); w.stateChange(e)
        case .breakpointChanged(let e): w.u8(Kind.breakpointChanged.rawValue); w.breakpointChange(e)
        case .checkpointCreated(let e): w.u8(Kind.checkpointCreated.rawValue); w.checkpoint(e.checkpoint)
        case .done(let e): w.u8(Kind.done.rawValue); w.done(e)
        case .tokenUsage(let e): w.u8(Kind.tokenUsage.rawValue); w.tokenUsage(e)
        case .toolStart(let e): w.u8(Kind.toolStart.rawValue); w.toolStart(e)
        case .toolEnd(let e): w.u8(Kind.toolEnd.rawValue); w.toolEnd(e)
        case .toolExecuted(let e): w.u8(Kind.toolExecuted.rawValue); w.toolExecuted(e)
        case .toolError, .permissionRequired, .permissionDecided, .permissionRuleChanged, .error, .todoChanged,
             .todoReminder, .fileChanged, .contextCompression, .agentResumed, .agentForked, .reminderSent,
             .instructionsLoaded, .toolManualUpdated, .modelChanged,
             .subagentStarted, .subagentFinished,
             .scheduleChanged, .schedulerTriggered,
             .agentRenamed:
            return false
        }
        return true
    }

    /// Decodes a whole body (kind and fields); every byte must belong to it.
    static func decode(_ bytes: UnsafeRawBufferPointer) throws(BinaryDecodingFailure) -> RecordBody {
        var r = ByteReader(bytes)
        let at = r.position
        let raw = try r.u8()
        guard let kind = Kind(rawValue: raw) else { throw r.failure("unknown binary record kind \(raw)", at: at) }
        let body: RecordBody
        switch kind {
        case .message: body = .message(try r.message())
        case .toolCall: body = .toolCall(try r.toolCall())
        case .inputQueued: body = .inputQueued(try r.queuedInput())
        case .textChunkStart: body = .event(.textChunkStart(try r.chunkBoundary()))
        case .textChunk: body = .event(.textChunk(try r.chunkDelta()))
        case .textChunkEnd: body = .event(.textChunkEnd(try r.chunkBoundary()))
        case .thinkChunkStart: body = .event(.thinkChunkStart(try r.chunkBoundary()))
        case .thinkChunk: body = .event(.thinkChunk(try r.chunkDelta()))
        case .thinkChunkEnd: body = .event(.thinkChunkEnd(try r.chunkBoundary()))
        case .stateChanged: body = .event(.stateChanged(try r.stateChange()))
        case .breakpointChanged: body = .event(.breakpointChanged(try r.breakpointChange()))
        case .checkpointCreated: body = .event(.checkpointCreated(CheckpointCreatedEvent(checkpoint: try r.checkpoint())))
        case .done: body = .event(.done(try r.done()))
        case .tokenUsage: body = .event(.tokenUsage(try r.tokenUsage()))
        case .toolStart: body = .event(.toolStart(try r.toolStart()))
        case .toolEnd: body = .event(.toolEnd(try r.toolEnd()))
        case .toolExecuted: body = .event(.toolExecuted(try r.toolExecuted()))
        }
        guard r.remaining == 0 else { throw r.failure("\(r.remaining) bytes after the record's last field") }
        return body
    }
}
