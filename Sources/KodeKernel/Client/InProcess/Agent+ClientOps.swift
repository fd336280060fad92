import Foundation

// Operations the client API offers that are small compositions of the agent's own: labelling
// any safe point (not only the newest), and picking up a turn that a restart left waiting for a
// decision once that decision is made.
extension Agent {
    /// Names the safe fork point `checkpointId` (an id or a label; `nil`: the newest). Durable.
    func label(_ checkpointId: String?, as label: String?) async throws -> Checkpoint {
        guard let checkpointId else { return try await checkpoint(label: label) }
        try ensureWritable()
        var point = try Agent.find(checkpointId, in: state.checkpoints)
        point.label = label
        emit(.checkpointCreated(CheckpointCreatedEvent(checkpoint: point)))
        try await commit(.durable)
        return point
    }

    /// Uses `provider` (made for `config`) from the next turn on, recorded durably as
    /// `model_changed` so a reopened agent uses it too. Refused while a turn runs: a turn keeps
    /// the model it started with.
    public func switchModel(to config: ProviderConfig, provider: any ModelProvider, by who: String) async throws {
        try ensureWritable()
        guard turnTask == nil else { throw ClientError.busy("a turn is running: the model changes between turns (interrupt it or wait for it to end)") }
        emit(.modelChanged(ModelChangedEvent(provider: config, by: who)))
        try await commit(.durable)
        self.provider = provider
    }

    /// Gives the agent `title` (checked by ``AgentTitle/validate(_:)``; blank: no title, the first
    /// prompt names it again), recorded durably as `agent_renamed`. Allowed while a turn runs: a
    /// title changes nothing the model sees. Returns the title stored.
    @discardableResult
    public func rename(to title: String, by who: String) async throws -> String? {
        try ensureWritable()
        let stored: String?
        do {
            stored = try AgentTitle.validate(title)
        } catch {
            throw AgentError.invalidTitle(error.description)
        }
        emit(.agentRenamed(AgentRenamedEvent(title: stored, by: who)))
        try await commit(.durable)
        return stored
    }

    /// Puts back the model a `model_changed` chose, when the agent is opened again.
    func restoreProvider(_ provider: any ModelProvider) { self.provider = provider }

    /// After a decision: a turn that is open but not running (the agent was opened again with
    /// the request pending, so no turn waits for the answer) continues once nothing else waits
    /// for a person. A turn that runs picks the decision up itself.
    func continueAfterDecision() async throws {
        guard turnTask == nil, state.turnOpen, state.pendingApprovals.isEmpty, !closed, readOnlyReason == nil else { return }
        try await continueTurn()
    }
}
