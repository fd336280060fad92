import Foundation
import KodeKernel

/// A handle on an agent another process owns (docs/POSTGRES.md, "The command inbox"): what it
/// asks goes into the inbox for the owner to apply, what it reads comes from the stored records.
/// `send`, `decide`, `interrupt`, `continueTurn`, `fork`, `checkpoint`, `rename` and the
/// trigger calls return the owner's
/// outcome once applied; each is durable as soon as its row commits, so if no owner applies it
/// within `patience` it still waits in the inbox (`send` then returns the command's id,
/// `cmd_<n>`, the others say it is queued).
final class InboxAgentHandle: AgentHandle {
    let id: AgentID
    let manifest: AgentManifest
    let store: PostgresStore
    let wakeUps: WakeUps
    let patience: Duration
    /// Called after a command is queued (a worker in this process looks at its inbox at once).
    let queued: @Sendable () -> Void

    init(manifest: AgentManifest, store: PostgresStore, wakeUps: WakeUps, patience: Duration, queued: @escaping @Sendable () -> Void) {
        self.id = manifest.id
        self.manifest = manifest
        self.store = store
        self.wakeUps = wakeUps
        self.patience = patience
        self.queued = queued
    }

    func subscribe(channels: Set<EventChannel>, since: Bookmark?, kinds: Set<EventType>?) async throws -> AgentEvents {
        let start: UInt64
        if let since { start = since.seq } else { start = try await store.lastSeq(of: id) }
        return StoredEventTail.follow(id, store: store, wakeUps: wakeUps, filter: EventFilter(channels: channels, kinds: kinds), after: start)
    }

    func send(_ text: String) async throws -> String {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw AgentError.emptyInput }
        let outcome = try await run(.send(text: text))
        return outcome.applied ? (outcome.text ?? "") : "cmd_\(outcome.id)"
    }

    func decide(_ callId: String, _ decision: DecisionKind, note: String?, scope: DecisionScope, by decidedBy: String) async throws {
        try requireApplied(try await run(.decide(callId: callId, decision: decision, note: note, scope: scope, by: decidedBy)))
    }

    func interrupt() async throws { try requireApplied(try await run(.interrupt)) }
    func continueTurn() async throws { try requireApplied(try await run(.continueTurn)) }

    func checkpoint(label: String?, at checkpointId: String?) async throws -> Checkpoint {
        let outcome = try await run(.label(label, at: checkpointId))
        try requireApplied(outcome)
        return try JSONDecoder().decode(Checkpoint.self, from: Data((outcome.text ?? "").utf8))
    }

    func fork(at checkpoint: String) async throws -> AgentID {
        let outcome = try await run(.fork(at: checkpoint))
        try requireApplied(outcome)
        return outcome.text ?? ""
    }

    func switchModel(to provider: ProviderConfig, by who: String) async throws -> ProviderInfo {
        throw try await ownedElsewhere("switching its model")
    }

    func revokeRule(_ ruleId: String) async throws { throw try await ownedElsewhere("revoking a rule") }
    func compact(instructions: String?) async throws { throw try await ownedElsewhere("compacting it") }

    func rename(to title: String, by who: String) async throws -> String? {
        let outcome = try await run(.rename(title: title, by: who))
        try requireApplied(outcome)
        return outcome.text.flatMap { $0.isEmpty ? nil : $0 }
    }

    func addTrigger(_ spec: TriggerSpec, by who: String) async throws -> ScheduledTrigger {
        let outcome = try await run(.addTrigger(spec, by: who))
        try requireApplied(outcome)
        return try JSONDecoder().decode(ScheduledTrigger.self, from: Data((outcome.text ?? "").utf8))
    }

    func removeTrigger(_ idOrName: String, by who: String) async throws -> ScheduledTrigger {
        let outcome = try await run(.removeTrigger(idOrName, by: who))
        try requireApplied(outcome)
        return try JSONDecoder().decode(ScheduledTrigger.self, from: Data((outcome.text ?? "").utf8))
    }

    func status() async throws -> AgentStatus {
        let state = try await storedState()
        return AgentStatus(
            id: id, runtimeState: state.runtimeState, breakpoint: state.breakpoint, messageCount: state.messages.count,
            pendingApprovals: state.pendingApprovals, queuedInputs: state.queuedInputs, usage: state.usage, costUSD: state.costUSD,
            provider: ProviderInfo(name: manifest.config.provider.name, model: manifest.config.provider.model), parent: manifest.parent,
            turnInterrupted: state.turnOpen && state.runtimeState != .working && state.pendingApprovals.isEmpty,
            readOnlyReason: nil, lastSeq: state.lastSeq, sandbox: nil, title: AgentTitle.of(state))
    }

    func state() async throws -> AgentState { try await storedState() }
    func window(messages: Int) async throws -> AgentStateWindow { try await storedState().window(messages: messages) }
    func transcript(_ range: Range<Int>) async throws -> TranscriptPage { try await storedState().transcriptPage(range) }

    /// Until the stored state says no turn runs.
    func waitUntilIdle() async throws {
        let pulse = wakeUps.records(of: id)
        while true {
            let seen = pulse.count
            if try await storedState().runtimeState != .working { return }
            await pulse.wait(since: seen, timeout: .milliseconds(250))
        }
    }

    func release(_ how: Release) async {}

    // MARK: Helpers

    private func run(_ command: AgentCommand) async throws -> CommandOutcome {
        let commandID = try await store.submit(command, to: id)
        queued()
        return try await store.waitForOutcome(of: commandID, patience: patience)
    }

    private func requireApplied(_ outcome: CommandOutcome) throws {
        if !outcome.applied {
            throw ClientError.busy("command \(outcome.id) for agent \(id) is queued in the inbox; no worker has applied it within \(Int(patience.components.seconds)) s (it will be when a worker owns the agent)")
        }
        if outcome.failed { throw ClientError.host(code: "refused", message: outcome.text ?? "the owner refused the command") }
    }

    private func ownedElsewhere(_ what: String) async throws -> ClientError {
        ClientError.busy("\(what) needs the agent's owner: agent \(id) is owned by \(try await store.ownerDescription(of: id))")
    }

    private func storedState() async throws -> AgentState {
        try AgentState.rebuild(from: try await store.history(of: id))
    }
}
