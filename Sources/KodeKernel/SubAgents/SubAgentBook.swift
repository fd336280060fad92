/// What an agent knows at run time about the sub-agents of its `task_run` calls. Nothing here is
/// the truth about them: their links are in this agent's log (`subagent_started`) and in their
/// manifests; this only routes decisions and remembers what a resume left to re-attach.
struct SubAgentBook: Sendable {
    /// Children running now, by id (decisions for their calls are forwarded to them).
    var running: [AgentID: Agent] = [:]
    /// `task_run` calls that were executing when the process stopped: continuing the turn
    /// re-attaches to their children instead of sealing them.
    var reattach: Set<String> = []
    /// Children linked in the batch of their call's start (`subagent_started` committed with
    /// it), by call id, until the call runs and creates them.
    var linked: [String: AgentID] = [:]
    /// The newest error each running child reported, for the tool result when it fails.
    var lastError: [AgentID: String] = [:]
}

/// A child's tool call as its parent's clients see it: `CHILD_ID/CALL_ID`, so a decision sent to
/// the parent reaches the right agent even when two agents use the same call id.
struct RoutedCallID: Hashable, Sendable {
    var agent: AgentID
    var call: String

    init(agent: AgentID, call: String) {
        self.agent = agent
        self.call = call
    }

    /// Parses `CHILD_ID/CALL_ID`; nil for anything else.
    init?(_ text: String) {
        guard let slash = text.firstIndex(of: "/") else { return nil }
        let agent = String(text[..<slash]), call = String(text[text.index(after: slash)...])
        guard !agent.isEmpty, !call.isEmpty else { return nil }
        self.agent = agent
        self.call = call
    }

    var text: String { "\(agent)/\(call)" }
}
