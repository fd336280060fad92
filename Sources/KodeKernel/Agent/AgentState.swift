import Foundation

/// The agent's state: a pure fold over its log (DESIGN §2, §4). Snapshots are this struct encoded
/// (`AgentState+Snapshot.swift`).
public struct AgentState: Sendable, Hashable, Codable {
    public var id: AgentID
    /// The last record folded in.
    public var lastSeq: UInt64 = 0
    public var messages: [Message] = []
    public var toolCalls: [String: ToolCallRecord] = [:]
    /// Tool-call ids in the order they were first recorded.
    public var toolCallOrder: [String] = []
    public var todos: [TodoItem] = []
    /// "Always" rules granted to this agent.
    public var rules: [PermissionRule] = []
    public var runtimeState: RuntimeState = .ready
    public var breakpoint: Breakpoint = .ready
    /// Input accepted but not yet part of the conversation.
    public var queuedInputs: [QueuedInput] = []
    /// Safe fork points, oldest first.
    public var checkpoints: [Checkpoint] = []
    public var usage = TokenUsage()
    public var costUSD: Double?
    /// Characters streamed since the last committed assistant message (discarded on resume).
    public var partialReplyChars = 0
    /// A turn began (`WORKING`) and has not reached `done`.
    public var turnOpen = false
    /// Inputs the open turn answers.
    public var turnInputIds: [String] = []
    /// UTF-8 bytes of the conversation's content, kept as messages are added so a step need not
    /// recount (the name is older than the unit).
    public var conversationChars = 0
    /// Set once two consecutive messages share a role or a message has an empty text block:
    /// only then does a request need reshaping.
    public var needsShaping = false
    /// The newest compaction: what the model is sent instead of the messages it replaced.
    public var compaction: Compaction?
    /// Tokens the provider counted for the newest reply (nil before one and after a compaction).
    public var contextCount: ContextCount?
    /// The project instructions last recorded (`instructions_loaded`), in the system prompt.
    public var instructions: [InstructionFile] = []
    /// The tools' usage notes last recorded (`tool_manual_updated`), in the system prompt.
    public var toolManuals: [ToolManual] = []
    /// The model the agent uses instead of its manifest's, after a `model_changed` (`/model`).
    public var providerOverride: ProviderConfig?
    /// Triggers, reminders they enqueued, and the model-call count they are measured by.
    public var schedule = ScheduleState()
    /// The title a person gave the agent (`agent_renamed`); nil: none, the first prompt names it
    /// (``AgentTitle/of(_:)``).
    public var title: String?

    public init(id: AgentID) {
        self.id = id
    }

    /// Folds one record in. Order matters; records must arrive with increasing seq.
    public mutating func apply(_ record: LogRecord) {
        lastSeq = record.seq
        switch record.body {
        case .event(let event):
            apply(event)
        case .message(let message):
            if let previous = messages.last, previous.role == message.role { needsShaping = true }
            if message.content.isEmpty || message.content.contains(where: { if case .text(let t) = $0 { return t.isEmpty } else { return false } }) {
                needsShaping = true
            }
            conversationChars += ConversationShaper.size(of: message)
            messages.append(message)
            schedule.noteMessage(message)
            // Once a result is in the conversation, the record need not carry it a second time
            // (it would double the size of every snapshot); the preview stays.
            for block in message.content {
                if case .toolResult(let id, _, _) = block { toolCalls[id]?.output = nil }
            }
            if message.role == .assistant { partialReplyChars = 0 }
            if message.role == .user, let index = queuedInputs.firstIndex(where: { $0.id == message.id }) {
                queuedInputs.remove(at: index)
                turnInputIds.append(message.id)
            }
        case .toolCall(let call):
            if toolCalls[call.id] == nil { toolCallOrder.append(call.id) }
            toolCalls[call.id] = call
        case .inputQueued(let input):
            queuedInputs.append(input)
        case .compaction(let compaction):
            self.compaction = compaction
            contextCount = nil
        case .conversationRewound(let rewind):
            apply(rewind)
        case .workspaceSnapshot, .rewind:
            break
        }
    }

    private mutating func apply(_ event: AgentEvent) {
        switch event {
        case .stateChanged(let e):
            runtimeState = e.to
            if e.to == .working && !turnOpen {
                turnOpen = true
                turnInputIds = []
            }
        case .breakpointChanged(let e):
            breakpoint = e.to
        case .todoChanged(let e):
            todos = e.todos
        case .checkpointCreated(let e):
            upsert(e.checkpoint)
        case .permissionRuleChanged(let e):
            switch e.change {
            case .granted: rules.append(e.rule)
            case .revoked: rules.removeAll { $0.id == e.rule.id }
            }
        case .tokenUsage(let e):
            usage = e.total
            costUSD = e.totalCostUSD
            let counted = e.usage.input + e.usage.cacheRead + e.usage.cacheWrite + e.usage.output
            if counted > 0 { contextCount = ContextCount(tokens: counted, atBytes: conversationChars) }
        case .textChunk(let e), .thinkChunk(let e):
            partialReplyChars += e.delta.count
        case .done:
            turnOpen = false
            partialReplyChars = 0
        case .agentResumed:
            partialReplyChars = 0
        case .instructionsLoaded(let e):
            instructions = e.files
        case .toolManualUpdated(let e):
            toolManuals = e.manuals
        case .modelChanged(let e):
            providerOverride = e.provider
        case .scheduleChanged(let e):
            schedule.apply(e)
        case .schedulerTriggered(let e):
            schedule.apply(e)
        case .agentRenamed(let e):
            title = e.title
        default:
            break
        }
    }

    /// Adds a safe point, or relabels one already known. New points arrive in seq order and a
    /// label is almost always put on the newest, so neither case scans the list (it grows by two
    /// points per tool step and a scan made long agents quadratic).
    private mutating func upsert(_ checkpoint: Checkpoint) {
        if let last = checkpoints.last {
            if last.id == checkpoint.id {
                checkpoints[checkpoints.count - 1] = checkpoint
                return
            }
            if checkpoint.seq <= last.seq, let index = checkpoints.lastIndex(where: { $0.id == checkpoint.id }) {
                checkpoints[index] = checkpoint
                return
            }
        }
        checkpoints.append(checkpoint)
    }

    /// Calls of the newest assistant message, in order.
    public var currentCalls: [ToolCallRecord] {
        guard let last = messages.last, last.role == .assistant else { return [] }
        return last.toolUses.compactMap { toolCalls[$0.id] }
    }

    /// Calls waiting for a person (only the newest assistant message's calls can be).
    public var pendingApprovals: [ToolCallRecord] {
        currentCalls.filter { $0.state == .approvalRequired }
    }
}
