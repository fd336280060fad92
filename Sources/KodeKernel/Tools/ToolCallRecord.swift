import Foundation

/// Allow or deny.
public enum DecisionKind: String, Sendable, Hashable, Codable {
    case allow
    case deny
}

/// How far a decision reaches: this call only, every matching call of this agent, or every
/// matching call of every agent of this project (the rule is also written to the project's
/// `.kode/config.toml`, where new agents read it).
public enum DecisionScope: String, Sendable, Hashable, Codable {
    case once
    /// Always, for this agent.
    case always
    /// Always, for this project.
    case project
}

/// A decision on a tool call, by a person, a policy rule or a hook.
public struct ToolDecision: Sendable, Hashable, Codable {
    public var decision: DecisionKind
    /// `user`, `cli`, `policy`, `rule:<id>`, `hook`, …
    public var decidedBy: String
    public var note: String?
    public var scope: DecisionScope
    public var timestamp: Date

    public init(decision: DecisionKind, decidedBy: String, note: String? = nil, scope: DecisionScope = .once, timestamp: Date = Date()) {
        self.decision = decision
        self.decidedBy = decidedBy
        self.note = note
        self.scope = scope
        self.timestamp = timestamp
    }
}

/// Everything the agent knows about one tool call. Stored in full after every transition,
/// so folding the log is a plain overwrite by `id`.
public struct ToolCallRecord: Sendable, Hashable, Codable {
    /// The model's `tool_use` id.
    public var id: String
    public var name: String
    public var input: JSONValue
    public var state: ToolCallState
    /// Why permission was asked or refused, when it was.
    public var reason: String?
    public var decision: ToolDecision?
    public var createdAt: Date
    public var updatedAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// The first bytes of the result, bounded (see `ToolCallRecord.previewLimit`).
    public var outputPreview: String?
    /// The full result the model receives; set on the final transition so a crash between a
    /// result and the tool-result message loses nothing, and dropped from the state once that
    /// message carries it (`outputPreview` stays).
    public var output: String?
    public var isError: Bool

    /// The bound on `outputPreview`, in characters.
    public static let previewLimit = 2_000

    public init(id: String, name: String, input: JSONValue, state: ToolCallState = .pending, createdAt: Date = Date()) {
        self.id = id
        self.name = name
        self.input = input
        self.state = state
        self.createdAt = createdAt
        self.updatedAt = createdAt
        self.isError = false
    }

    /// Milliseconds between start and finish, when both are known.
    public var durationMs: Double? {
        guard let startedAt, let finishedAt else { return nil }
        return finishedAt.timeIntervalSince(startedAt) * 1000
    }
}
