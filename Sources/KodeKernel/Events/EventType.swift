/// Every event type, by its wire name.
public enum EventType: String, Sendable, Hashable, Codable, CaseIterable {
    case thinkChunkStart = "think_chunk_start"
    case thinkChunk = "think_chunk"
    case thinkChunkEnd = "think_chunk_end"
    case textChunkStart = "text_chunk_start"
    case textChunk = "text_chunk"
    case textChunkEnd = "text_chunk_end"
    case toolStart = "tool:start"
    case toolEnd = "tool:end"
    case toolError = "tool:error"
    case done
    case permissionRequired = "permission_required"
    case permissionDecided = "permission_decided"
    case stateChanged = "state_changed"
    case breakpointChanged = "breakpoint_changed"
    case toolExecuted = "tool_executed"
    case error
    case tokenUsage = "token_usage"
    case todoChanged = "todo_changed"
    case todoReminder = "todo_reminder"
    case fileChanged = "file_changed"
    case contextCompression = "context_compression"
    case agentResumed = "agent_resumed"
    case checkpointCreated = "checkpoint_created"
    case agentForked = "agent_forked"
    case permissionRuleChanged = "permission_rule_changed"
    case reminderSent = "reminder_sent"
    case instructionsLoaded = "instructions_loaded"
    case toolManualUpdated = "tool_manual_updated"
    case modelChanged = "model_changed"
    case subagentStarted = "subagent_started"
    case subagentFinished = "subagent_finished"
    case scheduleChanged = "schedule_changed"
    case schedulerTriggered = "scheduler_triggered"
    case agentRenamed = "agent_renamed"

    /// The channel this type is published on.
    public var channel: EventChannel {
        switch self {
        case .thinkChunkStart, .thinkChunk, .thinkChunkEnd, .textChunkStart, .textChunk, .textChunkEnd,
            .toolStart, .toolEnd, .toolError, .done:
            return .progress
        case .permissionRequired, .permissionDecided, .permissionRuleChanged:
            return .control
        case .stateChanged, .breakpointChanged, .toolExecuted, .error, .tokenUsage, .todoChanged, .todoReminder,
            .fileChanged, .contextCompression, .agentResumed, .checkpointCreated, .agentForked, .reminderSent,
            .instructionsLoaded, .toolManualUpdated, .modelChanged,
            .subagentStarted, .subagentFinished,
            .scheduleChanged, .schedulerTriggered,
            .agentRenamed:
            return .monitor
        }
    }
}
