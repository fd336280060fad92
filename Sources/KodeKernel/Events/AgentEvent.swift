import Foundation

/// Every event an agent publishes (DESIGN §3). The JSON form is flat: `{"type": …, fields…}`.
///
/// `indirect`: the payloads are boxed, so an event is one pointer wide instead of the size of its
/// largest case (a whole tool-call record). Events are made once and copied many times (log
/// record, envelope, every subscriber's buffer), so one allocation buys many cheap copies.
public indirect enum AgentEvent: Sendable, Hashable {
    case thinkChunkStart(ChunkBoundary)
    case thinkChunk(ChunkDelta)
    case thinkChunkEnd(ChunkBoundary)
    case textChunkStart(ChunkBoundary)
    case textChunk(ChunkDelta)
    case textChunkEnd(ChunkBoundary)
    case toolStart(ToolStartEvent)
    case toolEnd(ToolEndEvent)
    case toolError(ToolErrorEvent)
    case done(DoneEvent)
    case permissionRequired(PermissionRequiredEvent)
    case permissionDecided(PermissionDecidedEvent)
    case permissionRuleChanged(PermissionRuleChangedEvent)
    case stateChanged(StateChangedEvent)
    case breakpointChanged(BreakpointChangedEvent)
    case toolExecuted(ToolExecutedEvent)
    case error(ErrorEvent)
    case tokenUsage(TokenUsageEvent)
    case todoChanged(TodoChangedEvent)
    case todoReminder(TodoReminderEvent)
    case fileChanged(FileChangedEvent)
    case contextCompression(ContextCompressionEvent)
    case agentResumed(AgentResumedEvent)
    case checkpointCreated(CheckpointCreatedEvent)
    case agentForked(AgentForkedEvent)
    case reminderSent(ReminderSentEvent)
    case instructionsLoaded(InstructionsLoadedEvent)
    case toolManualUpdated(ToolManualUpdatedEvent)
    case modelChanged(ModelChangedEvent)
    case subagentStarted(SubAgentStartedEvent)
    case subagentFinished(SubAgentFinishedEvent)
    case scheduleChanged(ScheduleChangedEvent)
    case schedulerTriggered(SchedulerTriggeredEvent)
    case agentRenamed(AgentRenamedEvent)

    /// The wire name of this event.
    public var type: EventType {
        switch self {
        case .thinkChunkStart: return .thinkChunkStart
        case .thinkChunk: return .thinkChunk
        case .thinkChunkEnd: return .thinkChunkEnd
        case .textChunkStart: return .textChunkStart
        case .textChunk: return .textChunk
        case .textChunkEnd: return .textChunkEnd
        case .toolStart: return .toolStart
        case .toolEnd: return .toolEnd
        case .toolError: return .toolError
        case .done: return .done
        case .permissionRequired: return .permissionRequired
        case .permissionDecided: return .permissionDecided
        case .permissionRuleChanged: return .permissionRuleChanged
        case .stateChanged: return .stateChanged
        case .breakpointChanged: return .breakpointChanged
        case .toolExecuted: return .toolExecuted
        case .error: return .error
        case .tokenUsage: return .tokenUsage
        case .todoChanged: return .todoChanged
        case .todoReminder: return .todoReminder
        case .fileChanged: return .fileChanged
        case .contextCompression: return .contextCompression
        case .agentResumed: return .agentResumed
        case .checkpointCreated: return .checkpointCreated
        case .agentForked: return .agentForked
        case .reminderSent: return .reminderSent
        case .instructionsLoaded: return .instructionsLoaded
        case .toolManualUpdated: return .toolManualUpdated
        case .modelChanged: return .modelChanged
        case .subagentStarted: return .subagentStarted
        case .subagentFinished: return .subagentFinished
        case .scheduleChanged: return .scheduleChanged
        case .schedulerTriggered: return .schedulerTriggered
        case .agentRenamed: return .agentRenamed
        }
    }

    /// The channel this event is published on.
    public var channel: EventChannel { type.channel }
}

extension AgentEvent: Codable {
    private enum TypeKey: String, CodingKey { case type }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: TypeKey.self)
        let raw = try c.decode(String.self, forKey: .type)
        guard let type = EventType(rawValue: raw) else {
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown event type '\(raw)'")
        }
        switch type {
        case .thinkChunkStart: self = .thinkChunkStart(try ChunkBoundary(from: decoder))
        case .thinkChunk: self = .thinkChunk(try ChunkDelta(from: decoder))
        case .thinkChunkEnd: self = .thinkChunkEnd(try ChunkBoundary(from: decoder))
        case .textChunkStart: self = .textChunkStart(try ChunkBoundary(from: decoder))
        case .textChunk: self = .textChunk(try ChunkDelta(from: decoder))
        case .textChunkEnd: self = .textChunkEnd(try ChunkBoundary(from: decoder))
        case .toolStart: self = .toolStart(try ToolStartEvent(from: decoder))
        case .toolEnd: self = .toolEnd(try ToolEndEvent(from: decoder))
        case .toolError: self = .toolError(try ToolErrorEvent(from: decoder))
        case .done: self = .done(try DoneEvent(from: decoder))
        case .permissionRequired: self = .permissionRequired(try PermissionRequiredEvent(from: decoder))
        case .permissionDecided: self = .permissionDecided(try PermissionDecidedEvent(from: decoder))
        case .permissionRuleChanged: self = .permissionRuleChanged(try PermissionRuleChangedEvent(from: decoder))
        case .stateChanged: self = .stateChanged(try StateChangedEvent(from: decoder))
        case .breakpointChanged: self = .breakpointChanged(try BreakpointChangedEvent(from: decoder))
        case .toolExecuted: self = .toolExecuted(try ToolExecutedEvent(from: decoder))
        case .error: self = .error(try ErrorEvent(from: decoder))
        case .tokenUsage: self = .tokenUsage(try TokenUsageEvent(from: decoder))
        case .todoChanged: self = .todoChanged(try TodoChangedEvent(from: decoder))
        case .todoReminder: self = .todoReminder(try TodoReminderEvent(from: decoder))
        case .fileChanged: self = .fileChanged(try FileChangedEvent(from: decoder))
        case .contextCompression: self = .contextCompression(try ContextCompressionEvent(from: decoder))
        case .agentResumed: self = .agentResumed(try AgentResumedEvent(from: decoder))
        case .checkpointCreated: self = .checkpointCreated(try CheckpointCreatedEvent(from: decoder))
        case .agentForked: self = .agentForked(try AgentForkedEvent(from: decoder))
        case .reminderSent: self = .reminderSent(try ReminderSentEvent(from: decoder))
        case .instructionsLoaded: self = .instructionsLoaded(try InstructionsLoadedEvent(from: decoder))
        case .toolManualUpdated: self = .toolManualUpdated(try ToolManualUpdatedEvent(from: decoder))
        case .modelChanged: self = .modelChanged(try ModelChangedEvent(from: decoder))
        case .subagentStarted: self = .subagentStarted(try SubAgentStartedEvent(from: decoder))
        case .subagentFinished: self = .subagentFinished(try SubAgentFinishedEvent(from: decoder))
        case .scheduleChanged: self = .scheduleChanged(try ScheduleChangedEvent(from: decoder))
        case .schedulerTriggered: self = .schedulerTriggered(try SchedulerTriggeredEvent(from: decoder))
        case .agentRenamed: self = .agentRenamed(try AgentRenamedEvent(from: decoder))
        }
    }

    /// Encodes the payload's fields and `type` into one flat object.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: TypeKey.self)
        try c.encode(type.rawValue, forKey: .type)
        switch self {
        case .thinkChunkStart(let p), .thinkChunkEnd(let p), .textChunkStart(let p), .textChunkEnd(let p):
            try p.encode(to: encoder)
        case .thinkChunk(let p), .textChunk(let p): try p.encode(to: encoder)
        case .toolStart(let p): try p.encode(to: encoder)
        case .toolEnd(let p): try p.encode(to: encoder)
        case .toolError(let p): try p.encode(to: encoder)
        case .done(let p): try p.encode(to: encoder)
        case .permissionRequired(let p): try p.encode(to: encoder)
        case .permissionDecided(let p): try p.encode(to: encoder)
        case .permissionRuleChanged(let p): try p.encode(to: encoder)
        case .stateChanged(let p): try p.encode(to: encoder)
        case .breakpointChanged(let p): try p.encode(to: encoder)
        case .toolExecuted(let p): try p.encode(to: encoder)
        case .error(let p): try p.encode(to: encoder)
        case .tokenUsage(let p): try p.encode(to: encoder)
        case .todoChanged(let p): try p.encode(to: encoder)
        case .todoReminder(let p): try p.encode(to: encoder)
        case .fileChanged(let p): try p.encode(to: encoder)
        case .contextCompression(let p): try p.encode(to: encoder)
        case .agentResumed(let p): try p.encode(to: encoder)
        case .checkpointCreated(let p): try p.encode(to: encoder)
        case .agentForked(let p): try p.encode(to: encoder)
        case .reminderSent(let p): try p.encode(to: encoder)
        case .instructionsLoaded(let p): try p.encode(to: encoder)
        case .toolManualUpdated(let p): try p.encode(to: encoder)
        case .modelChanged(let p): try p.encode(to: encoder)
        case .subagentStarted(let p): try p.encode(to: encoder)
        case .subagentFinished(let p): try p.encode(to: encoder)
        case .scheduleChanged(let p): try p.encode(to: encoder)
        case .schedulerTriggered(let p): try p.encode(to: encoder)
        case .agentRenamed(let p): try p.encode(to: encoder)
        }
    }
}
