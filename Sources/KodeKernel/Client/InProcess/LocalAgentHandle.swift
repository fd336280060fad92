import Foundation
import Synchronization

/// A handle on an agent running in this process: each call goes straight to the `Agent` actor.
final class LocalAgentHandle: AgentHandle {
    let agent: Agent
    let hub: LocalAgentHub
    private let released = Mutex(false)

    init(agent: Agent, hub: LocalAgentHub) {
        self.agent = agent
        self.hub = hub
    }

    var id: AgentID { agent.id }
    var manifest: AgentManifest { agent.manifest }

    func subscribe(channels: Set<EventChannel>, since: Bookmark?, kinds: Set<EventType>?) async throws -> AgentEvents {
        AgentEvents(agent.subscribe(channels: channels, since: since, kinds: kinds))
    }

    func send(_ text: String) async throws -> String { try await agent.send(text) }

    func decide(_ callId: String, _ decision: DecisionKind, note: String?, scope: DecisionScope, by decidedBy: String) async throws {
        try await agent.decide(callId, decision, note: note, scope: scope, by: decidedBy)
        if hub.wiring.continuesAfterDecisions { try await agent.continueAfterDecision() }
    }

    func interrupt() async throws { await agent.interrupt() }
    func continueTurn() async throws { try await agent.continueTurn() }
    func checkpoint(label: String?, at checkpointId: String?) async throws -> Checkpoint {
        try await agent.label(checkpointId, as: label)
    }
    func switchModel(to provider: ProviderConfig, by who: String) async throws -> ProviderInfo {
        let model = try await hub.makeProvider(provider)
        try await agent.switchModel(to: provider, provider: model, by: who)
        return model.info
    }

    func rename(to title: String, by who: String) async throws -> String? { try await agent.rename(to: title, by: who) }
    func fork(at checkpoint: String) async throws -> AgentID { try await agent.fork(at: checkpoint) }
    func status() async throws -> AgentStatus { await agent.status() }
    func state() async throws -> AgentState { await agent.snapshot() }
    func window(messages: Int) async throws -> AgentStateWindow { await agent.window(messages: messages) }
    func transcript(_ range: Range<Int>) async throws -> TranscriptPage { await agent.transcriptPage(range) }
    func revokeRule(_ ruleId: String) async throws { try await agent.revokeRule(ruleId) }
    func compact(instructions: String?) async throws { try await agent.compact(instructions: instructions) }
    func waitUntilIdle() async throws { await agent.waitUntilIdle() }
    func addTrigger(_ spec: TriggerSpec, by who: String) async throws -> ScheduledTrigger {
        let trigger = try await agent.addTrigger(spec, by: who)
        await hub.scheduleMayHaveChanged(agent)
        return trigger
    }
    func removeTrigger(_ idOrName: String, by who: String) async throws -> ScheduledTrigger {
        let trigger = try await agent.removeTrigger(idOrName, by: who)
        await hub.scheduleMayHaveChanged(agent)
        return trigger
    }

    func release(_ how: Release) async {
        let first = released.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        await hub.release(agent.id, how: how)
    }
}

extension Agent {
    /// The newest part of the state, sliced on the actor so only the window is copied out.
    func window(messages: Int) -> AgentStateWindow { state.window(messages: messages) }
    func transcriptPage(_ range: Range<Int>) -> TranscriptPage { state.transcriptPage(range) }
}
