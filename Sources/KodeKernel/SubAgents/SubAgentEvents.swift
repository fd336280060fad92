import Foundation

/// `subagent_started` (Monitor, in the parent's log): a `task_run` call handed its task to a
/// child agent. The first one for a call is durable before the child exists, so a parent resumed
/// after a crash re-attaches to this child instead of spawning another.
public struct SubAgentStartedEvent: Sendable, Hashable, Codable {
    /// The parent's `task_run` call.
    public var callId: String
    /// The child agent.
    public var child: AgentID
    /// The agent that spawned it (the log's own agent; named so a merged feed reads alone).
    public var parent: AgentID
    /// The template the child was made from, if any.
    public var template: String?
    /// The child's model.
    public var model: String
    /// The tools the child may call.
    public var tools: [String]
    /// The child's depth (1 for a child of a top-level agent).
    public var depth: Int
    /// True when a resumed parent re-attached to a child started before the restart.
    public var reattached: Bool

    public init(callId: String, child: AgentID, parent: AgentID, template: String?, model: String, tools: [String], depth: Int, reattached: Bool) {
        self.callId = callId
        self.child = child
        self.parent = parent
        self.template = template
        self.model = model
        self.tools = tools
        self.depth = depth
        self.reattached = reattached
    }
}

/// `subagent_finished` (Monitor, in the parent's log): the child's turn ended and its outcome
/// became the `task_run` result.
public struct SubAgentFinishedEvent: Sendable, Hashable, Codable {
    /// How the child's turn ended.
    public enum Outcome: String, Sendable, Hashable, Codable {
        /// It answered; the answer is the tool result.
        case completed
        /// It failed (model error, step limit, no answer); the tool result is an error.
        case failed
        /// It was interrupted (the parent was); the tool result is an error.
        case interrupted
    }

    /// The parent's `task_run` call.
    public var callId: String
    /// The child agent.
    public var child: AgentID
    /// The agent that spawned it.
    public var parent: AgentID
    /// How the child's turn ended.
    public var outcome: Outcome
    /// The start of the answer or of the error, for the feed.
    public var preview: String
    /// From spawn (or re-attach) to the end of the child's turn.
    public var durationMs: Int

    public init(callId: String, child: AgentID, parent: AgentID, outcome: Outcome, preview: String, durationMs: Int) {
        self.callId = callId
        self.child = child
        self.parent = parent
        self.outcome = outcome
        self.preview = preview
        self.durationMs = durationMs
    }
}
