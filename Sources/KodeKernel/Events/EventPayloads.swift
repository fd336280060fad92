import Foundation

/// `think_chunk_start`, `text_chunk_start`, `think_chunk_end`, `text_chunk_end`.
public struct ChunkBoundary: Sendable, Hashable, Codable {
    /// The assistant message being streamed.
    public var messageId: String
    public init(messageId: String) { self.messageId = messageId }
}

/// `think_chunk`, `text_chunk`.
public struct ChunkDelta: Sendable, Hashable, Codable {
    public var messageId: String
    public var delta: String
    public init(messageId: String, delta: String) {
        self.messageId = messageId
        self.delta = delta
    }
}

/// `tool:start`: the call is about to run.
public struct ToolStartEvent: Sendable, Hashable, Codable {
    public var callId: String
    public var name: String
    public var input: JSONValue
    public init(callId: String, name: String, input: JSONValue) {
        self.callId = callId
        self.name = name
        self.input = input
    }
}

/// `tool:end`: fires exactly once per call, whatever happened to it.
public struct ToolEndEvent: Sendable, Hashable, Codable {
    public var callId: String
    public var name: String
    /// The final state: `COMPLETED`, `FAILED`, `DENIED` or `SEALED`.
    public var state: ToolCallState
    public var isError: Bool
    public var durationMs: Double?
    public var outputPreview: String
    public init(callId: String, name: String, state: ToolCallState, isError: Bool, durationMs: Double?, outputPreview: String) {
        self.callId = callId
        self.name = name
        self.state = state
        self.isError = isError
        self.durationMs = durationMs
        self.outputPreview = outputPreview
    }
}

/// `tool:error`: a call failed (unknown tool, invalid input, thrown error, timeout, sealed).
public struct ToolErrorEvent: Sendable, Hashable, Codable {
    public var callId: String
    public var name: String
    public var message: String
    public init(callId: String, name: String, message: String) {
        self.callId = callId
        self.name = name
        self.message = message
    }
}

/// A point in an agent's event stream: subscribe with `since:` to continue after it.
public struct Bookmark: Sendable, Hashable, Codable {
    public var seq: UInt64
    public var timestamp: Date
    public init(seq: UInt64, timestamp: Date) {
        self.seq = seq
        self.timestamp = timestamp
    }
}

/// How a turn ended.
public enum TurnEnd: String, Sendable, Hashable, Codable {
    /// The model stopped asking for tools.
    case completed
    /// `interrupt()` stopped it.
    case interrupted
    /// The step limit was hit.
    case stepLimit = "step_limit"
    /// A model or storage error ended it.
    case failed
}

/// `done`: a turn ended.
public struct DoneEvent: Sendable, Hashable, Codable {
    public var bookmark: Bookmark
    public var reason: TurnEnd
    /// The input ids this turn answered.
    public var inputIds: [String]
    public init(bookmark: Bookmark, reason: TurnEnd, inputIds: [String]) {
        self.bookmark = bookmark
        self.reason = reason
        self.inputIds = inputIds
    }
}

/// `permission_required`: a call waits for a person.
public struct PermissionRequiredEvent: Sendable, Hashable, Codable {
    public var callId: String
    public var call: ToolCallRecord
    /// A short human rendering of the input (`$ cmd`, a path and size, …).
    public var inputPreview: String
    public var reason: String
    /// The exact rule an "always" answer would add, e.g. `bash_run(git status*)`.
    public var alwaysPattern: String
    /// The sub-agent asking, when the request was relayed from one (then `callId` is
    /// `CHILD_ID/CALL_ID`, and deciding it on this agent decides the child's call); nil for this agent's own.
    public var agentId: AgentID?
    public init(callId: String, call: ToolCallRecord, inputPreview: String, reason: String, alwaysPattern: String, agentId: AgentID? = nil) {
        self.callId = callId
        self.call = call
        self.inputPreview = inputPreview
        self.reason = reason
        self.alwaysPattern = alwaysPattern
        self.agentId = agentId
    }
}

/// `permission_decided`: a call was allowed or denied.
public struct PermissionDecidedEvent: Sendable, Hashable, Codable {
    public var callId: String
    public var decision: DecisionKind
    public var decidedBy: String
    public var note: String?
    public var scope: DecisionScope
    public init(callId: String, decision: DecisionKind, decidedBy: String, note: String?, scope: DecisionScope) {
        self.callId = callId
        self.decision = decision
        self.decidedBy = decidedBy
        self.note = note
        self.scope = scope
    }
}

/// `permission_rule_changed`: an "always" rule was granted or revoked for this agent.
public struct PermissionRuleChangedEvent: Sendable, Hashable, Codable {
    public enum Change: String, Sendable, Hashable, Codable { case granted, revoked }
    public var change: Change
    public var rule: PermissionRule
    public init(change: Change, rule: PermissionRule) {
        self.change = change
        self.rule = rule
    }
}

/// `state_changed`.
public struct StateChangedEvent: Sendable, Hashable, Codable {
    public var from: RuntimeState
    public var to: RuntimeState
    public init(from: RuntimeState, to: RuntimeState) {
        self.from = from
        self.to = to
    }
}

/// `breakpoint_changed`.
public struct BreakpointChangedEvent: Sendable, Hashable, Codable {
    public var from: Breakpoint
    public var to: Breakpoint
    public init(from: Breakpoint, to: Breakpoint) {
        self.from = from
        self.to = to
    }
}

/// `tool_executed`: the audit line of one finished call.
public struct ToolExecutedEvent: Sendable, Hashable, Codable {
    public var callId: String
    public var name: String
    public var state: ToolCallState
    public var durationMs: Double?
    /// `auto`, `allow:<decidedBy>`, `deny:<decidedBy>`, …
    public var approval: String
    public var inputPreview: String
    public var outputBytes: Int
    public var isError: Bool
    public init(callId: String, name: String, state: ToolCallState, durationMs: Double?, approval: String, inputPreview: String, outputBytes: Int, isError: Bool) {
        self.callId = callId
        self.name = name
        self.state = state
        self.durationMs = durationMs
        self.approval = approval
        self.inputPreview = inputPreview
        self.outputBytes = outputBytes
        self.isError = isError
    }
}

/// Where an error came from.
public enum ErrorPhase: String, Sendable, Hashable, Codable { case model, tool, system, storage }

/// How bad it is.
public enum ErrorSeverity: String, Sendable, Hashable, Codable { case info, warning, error, fatal }

/// `error`.
public struct ErrorEvent: Sendable, Hashable, Codable {
    public var phase: ErrorPhase
    public var severity: ErrorSeverity
    public var message: String
    public var detail: String?
    public init(phase: ErrorPhase, severity: ErrorSeverity, message: String, detail: String? = nil) {
        self.phase = phase
        self.severity = severity
        self.message = message
        self.detail = detail
    }
}

/// `token_usage`: one reply's usage and the agent's running totals.
public struct TokenUsageEvent: Sendable, Hashable, Codable {
    public var usage: TokenUsage
    public var total: TokenUsage
    /// Estimated cost of this reply and in total, in US dollars, when the model's prices are known.
    public var costUSD: Double?
    public var totalCostUSD: Double?
    public init(usage: TokenUsage, total: TokenUsage, costUSD: Double? = nil, totalCostUSD: Double? = nil) {
        self.usage = usage
        self.total = total
        self.costUSD = costUSD
        self.totalCostUSD = totalCostUSD
    }
}

/// `todo_changed`.
public struct TodoChangedEvent: Sendable, Hashable, Codable {
    public var todos: [TodoItem]
    public init(todos: [TodoItem]) { self.todos = todos }
}

/// `todo_reminder`: open todos remain at the end of a turn.
public struct TodoReminderEvent: Sendable, Hashable, Codable {
    public var open: Int
    public var message: String
    public init(open: Int, message: String) {
        self.open = open
        self.message = message
    }
}

/// `file_changed`: a file the agent's tools changed (`callId` names the call), or a file the
/// agent read or wrote that something else changed afterwards (`source` is `external`, `callId`
/// is empty).
public struct FileChangedEvent: Sendable, Hashable, Codable {
    public var callId: String
    public var path: String
    public var action: FileChange.Action
    /// `external` for a change the agent did not make; absent for a tool's own change.
    public var source: String?
    public init(callId: String, path: String, action: FileChange.Action, source: String? = nil) {
        self.callId = callId
        self.path = path
        self.action = action
        self.source = source
    }
}

/// `context_compression`: what the model is sent was made smaller — old tool results shortened
/// to fit the character budget, or (with `compactionId`) older messages replaced by a summary.
/// Sizes are UTF-8 bytes; `ratio` is after ÷ before.
public struct ContextCompressionEvent: Sendable, Hashable, Codable {
    public var beforeChars: Int
    public var afterChars: Int
    public var compressedResults: Int
    /// The compaction record, when this was a compaction.
    public var compactionId: String?
    /// `threshold` or `manual`, for a compaction.
    public var trigger: String?
    /// Messages the summary replaces (cumulative, from the first message).
    public var replacedMessages: Int?
    /// Estimated tokens of the next request without and with the change.
    public var tokensBefore: Int?
    public var tokensAfter: Int?
    /// `afterChars ÷ beforeChars`.
    public var ratio: Double?
    public init(beforeChars: Int, afterChars: Int, compressedResults: Int, compactionId: String? = nil, trigger: String? = nil,
                replacedMessages: Int? = nil, tokensBefore: Int? = nil, tokensAfter: Int? = nil) {
        self.beforeChars = beforeChars
        self.afterChars = afterChars
        self.compressedResults = compressedResults
        self.compactionId = compactionId
        self.trigger = trigger
        self.replacedMessages = replacedMessages
        self.tokensBefore = tokensBefore
        self.tokensAfter = tokensAfter
        self.ratio = beforeChars > 0 ? Double(afterChars) / Double(beforeChars) : nil
    }
}

/// `reminder_sent`: a reminder went to the model as a `<system-reminder>` message (recorded in
/// the conversation under `messageId`).
public struct ReminderSentEvent: Sendable, Hashable, Codable {
    /// `todos` or `file_changes`.
    public var kind: String
    public var messageId: String
    public var text: String
    public init(kind: String, messageId: String, text: String) {
        self.kind = kind
        self.messageId = messageId
        self.text = text
    }
}

/// `agent_resumed`: what opening the agent found and did (DESIGN §4 recovery table).
public struct AgentResumedEvent: Sendable, Hashable, Codable {
    public var breakpoint: Breakpoint
    /// Calls whose start was durable but result was not: answered with a sealed result.
    public var sealedCalls: [String]
    /// Bytes of a partial, uncommitted reply that were discarded.
    public var discardedPartialBytes: Int
    /// Approvals still waiting for a person.
    public var pendingApprovals: [String]
    /// Calls approved or recorded but not started: safe to run when the turn continues.
    public var runnableCalls: [String]
    /// True when an interrupted turn is waiting for an explicit continue.
    public var turnInterrupted: Bool
    public init(breakpoint: Breakpoint, sealedCalls: [String], discardedPartialBytes: Int, pendingApprovals: [String], runnableCalls: [String], turnInterrupted: Bool) {
        self.breakpoint = breakpoint
        self.sealedCalls = sealedCalls
        self.discardedPartialBytes = discardedPartialBytes
        self.pendingApprovals = pendingApprovals
        self.runnableCalls = runnableCalls
        self.turnInterrupted = turnInterrupted
    }
}

/// A safe fork point (after an accepted user message or a completed tool-result batch).
public struct Checkpoint: Sendable, Hashable, Codable {
    /// `cp_<seq>` for automatic points; stable across processes.
    public var id: String
    public var seq: UInt64
    public var label: String?
    public var time: Date
    /// One line describing the point (the user message or the tools just answered).
    public var preview: String
    /// Number of messages in the conversation at this point.
    public var messageCount: Int
    public init(id: String, seq: UInt64, label: String?, time: Date, preview: String, messageCount: Int) {
        self.id = id
        self.seq = seq
        self.label = label
        self.time = time
        self.preview = preview
        self.messageCount = messageCount
    }
}

/// `checkpoint_created`.
public struct CheckpointCreatedEvent: Sendable, Hashable, Codable {
    public var checkpoint: Checkpoint
    public init(checkpoint: Checkpoint) { self.checkpoint = checkpoint }
}

/// Where a child agent branches off: the parent and the parent's seq.
public struct ParentRef: Sendable, Hashable, Codable {
    public var agentId: AgentID
    public var seq: UInt64
    public init(agentId: AgentID, seq: UInt64) {
        self.agentId = agentId
        self.seq = seq
    }
}

/// `agent_forked`: written first in the child's own log.
public struct AgentForkedEvent: Sendable, Hashable, Codable {
    public var parent: ParentRef
    public var child: AgentID
    public init(parent: ParentRef, child: AgentID) {
        self.parent = parent
        self.child = child
    }
}
