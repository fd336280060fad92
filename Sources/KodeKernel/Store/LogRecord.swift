import Foundation

/// User input accepted into the agent's queue (durable before `send` returns).
public struct QueuedInput: Sendable, Hashable, Codable {
    public var id: String
    public var text: String
    public init(id: String, text: String) {
        self.id = id
        self.text = text
    }
}

/// What one log record says. The agent's state is a fold over these (see `AgentState.apply`).
///
/// `indirect` for the same reason as ``AgentEvent``: a record is copied into the batch, the
/// store and the state, and a boxed body makes each copy one reference count.
public indirect enum RecordBody: Sendable, Hashable {
    /// A published event.
    case event(AgentEvent)
    /// A committed conversation message.
    case message(Message)
    /// A tool-call record after a transition (the full record: folding is an overwrite by id).
    case toolCall(ToolCallRecord)
    /// User input accepted into the queue.
    case inputQueued(QueuedInput)
    /// A compaction: from here on the model is sent its summary instead of the messages it
    /// replaces (the messages stay in the log).
    case compaction(Compaction)
    /// The work directory's snapshot at this point (docs/WORKSPACE.md).
    case workspaceSnapshot(WorkspaceSnapshotRecord)
    /// A rewind's intent or completion.
    case rewind(RewindRecord)
    /// The conversation put back to a checkpoint by a rewind.
    case conversationRewound(ConversationRewind)
}

/// One record of an agent's log. `seq` is the agent's single counter (DESIGN §3): events take
/// their envelope seq from it.
public struct LogRecord: Sendable, Hashable {
    public var seq: UInt64
    public var timestamp: Date
    public var body: RecordBody

    public init(seq: UInt64, timestamp: Date, body: RecordBody) {
        self.seq = seq
        self.timestamp = timestamp
        self.body = body
    }

    /// The envelope, when this record is an event.
    public func envelope(agentId: AgentID) -> EventEnvelope? {
        if case .event(let event) = body {
            return EventEnvelope(seq: seq, timestamp: timestamp, agentId: agentId, event: event)
        }
        return nil
    }
}

extension RecordBody: Codable {
    private enum Key: String, CodingKey { case kind, event, message, toolCall, input, compaction, workspace, rewind, conversation }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        switch try c.decode(String.self, forKey: .kind) {
        case "event": self = .event(try c.decode(AgentEvent.self, forKey: .event))
        case "message": self = .message(try c.decode(Message.self, forKey: .message))
        case "tool_call": self = .toolCall(try c.decode(ToolCallRecord.self, forKey: .toolCall))
        case "input": self = .inputQueued(try c.decode(QueuedInput.self, forKey: .input))
        case "compaction": self = .compaction(try c.decode(Compaction.self, forKey: .compaction))
        case "workspace": self = .workspaceSnapshot(try c.decode(WorkspaceSnapshotRecord.self, forKey: .workspace))
        case "rewind": self = .rewind(try c.decode(RewindRecord.self, forKey: .rewind))
        case "conversation_rewound": self = .conversationRewound(try c.decode(ConversationRewind.self, forKey: .conversation))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown record kind '\(other)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        switch self {
        case .event(let e):
            try c.encode("event", forKey: .kind)
            try c.encode(e, forKey: .event)
        case .message(let m):
            try c.encode("message", forKey: .kind)
            try c.encode(m, forKey: .message)
        case .toolCall(let r):
            try c.encode("tool_call", forKey: .kind)
            try c.encode(r, forKey: .toolCall)
        case .inputQueued(let i):
            try c.encode("input", forKey: .kind)
            try c.encode(i, forKey: .input)
        case .compaction(let compaction):
            try c.encode("compaction", forKey: .kind)
            try c.encode(compaction, forKey: .compaction)
        case .workspaceSnapshot(let w):
            try c.encode("workspace", forKey: .kind)
            try c.encode(w, forKey: .workspace)
        case .rewind(let r):
            try c.encode("rewind", forKey: .kind)
            try c.encode(r, forKey: .rewind)
        case .conversationRewound(let r):
            try c.encode("conversation_rewound", forKey: .kind)
            try c.encode(r, forKey: .conversation)
        }
    }
}
