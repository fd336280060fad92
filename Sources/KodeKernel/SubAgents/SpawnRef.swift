/// The "spawned by" link of a sub-agent: the agent whose `task_run` call created it, and that
/// call. Kept in the child's manifest (so every store keeps it with no schema change), distinct
/// from ``ParentRef``, which says what a fork branched from: a sub-agent shares no history with
/// the agent that spawned it.
public struct SpawnRef: Sendable, Hashable, Codable {
    /// The agent that ran `task_run`.
    public var agentId: AgentID
    /// The `task_run` call the child answers.
    public var callId: String
    /// How deep the child is: 1 for a child of a top-level agent, 2 for a grandchild, …
    public var depth: Int

    public init(agentId: AgentID, callId: String, depth: Int) {
        self.agentId = agentId
        self.callId = callId
        self.depth = depth
    }
}
