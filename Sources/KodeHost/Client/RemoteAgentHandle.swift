import Foundation
import KodeKernel
import Synchronization

/// An agent open in a host. Bound to a handle number on one connection; after the connection
/// drops, the next call opens the agent again on a new one.
final class RemoteAgentHandle: AgentHandle {
    let manifest: AgentManifest
    let hub: RemoteAgentHub
    private let binding: Mutex<(client: HostClient, handle: UInt32)?>
    private let released = Mutex(false)

    init(manifest: AgentManifest, hub: RemoteAgentHub, bound: (HostClient, UInt32)) {
        self.manifest = manifest
        self.hub = hub
        self.binding = Mutex((bound.0, bound.1))
    }

    var id: AgentID { manifest.id }

    /// The connection and handle to use now, reopening the agent if the old connection is gone.
    func bound() async throws -> (client: HostClient, handle: UInt32) {
        if released.withLock({ $0 }) { throw AgentError.closed }
        if let current = binding.withLock({ $0 }), current.client.isOpen { return current }
        let client = try await hub.keeper.client()
        let opened = try await client.call(.open, OpenArgs(agent: id, options: nil), as: OpenResult.self)
        let fresh = (client: client, handle: opened.handle)
        binding.withLock { $0 = fresh }
        return fresh
    }

    private func call<Result: Decodable>(_ op: HostOp, as type: Result.Type, _ args: (UInt32) -> some Encodable) async throws -> Result {
        let (client, handle) = try await bound()
        return try await client.call(op, args(handle), as: type)
    }

    func subscribe(channels: Set<EventChannel>, since: Bookmark?, kinds: Set<EventType>?) async throws -> AgentEvents {
        try await RemoteSubscription.start(handle: self, channels: channels, since: since?.seq, kinds: kinds)
    }

    func send(_ text: String) async throws -> String {
        try await call(.send, as: SendResult.self) { SendArgs(handle: $0, text: text) }.inputId
    }

    func decide(_ callId: String, _ decision: DecisionKind, note: String?, scope: DecisionScope, by decidedBy: String) async throws {
        _ = try await call(.decide, as: Empty.self) {
            DecideArgs(handle: $0, callId: callId, decision: decision, note: note, scope: scope, by: decidedBy)
        }
    }

    func interrupt() async throws { _ = try await call(.interrupt, as: Empty.self) { HandleArgs(handle: $0) } }
    func continueTurn() async throws { _ = try await call(.continue, as: Empty.self) { HandleArgs(handle: $0) } }

    func checkpoint(label: String?, at checkpointId: String?) async throws -> Checkpoint {
        try await call(.checkpoint, as: CheckpointResult.self) { CheckpointArgs(handle: $0, label: label, at: checkpointId) }.checkpoint
    }

    func switchModel(to provider: ProviderConfig, by who: String) async throws -> ProviderInfo {
        try await call(.setModel, as: ProviderResult.self) { SetModelArgs(handle: $0, provider: provider, by: who) }.provider
    }

    func rename(to title: String, by who: String) async throws -> String? {
        try await call(.rename, as: TitleResult.self) { RenameArgs(handle: $0, title: title, by: who) }.title
    }

    func fork(at checkpoint: String) async throws -> AgentID {
        try await call(.forkAt, as: ChildResult.self) { ForkAtArgs(handle: $0, at: checkpoint) }.child
    }

    func status() async throws -> AgentStatus {
        try await call(.status, as: StatusResult.self) { HandleArgs(handle: $0) }.status
    }

    func state() async throws -> AgentState {
        let result = try await call(.agentState, as: StateResult.self) { HandleArgs(handle: $0) }
        return try RemoteAgentHub.decodeState(result.state)
    }

    func window(messages: Int) async throws -> AgentStateWindow {
        try await call(.window, as: AgentStateWindow.self) { WindowArgs(handle: $0, messages: messages) }
    }

    func transcript(_ range: Range<Int>) async throws -> TranscriptPage {
        try await call(.transcript, as: TranscriptPage.self) { TranscriptArgs(handle: $0, from: range.lowerBound, to: range.upperBound) }
    }

    func revokeRule(_ ruleId: String) async throws {
        _ = try await call(.revoke, as: Empty.self) { RevokeArgs(handle: $0, rule: ruleId) }
    }

    func compact(instructions: String?) async throws {
        _ = try await call(.compact, as: Empty.self) { CompactArgs(handle: $0, instructions: instructions) }
    }

    func waitUntilIdle() async throws { _ = try await call(.waitIdle, as: Empty.self) { HandleArgs(handle: $0) } }

    func addTrigger(_ spec: TriggerSpec, by who: String) async throws -> ScheduledTrigger {
        try await call(.schedule, as: TriggerResult.self) { ScheduleArgs(handle: $0, spec: spec, by: who) }.trigger
    }

    func removeTrigger(_ idOrName: String, by who: String) async throws -> ScheduledTrigger {
        try await call(.unschedule, as: TriggerResult.self) { UnscheduleArgs(handle: $0, trigger: idOrName, by: who) }.trigger
    }

    func release(_ how: Release) async {
        let first = released.withLock { done in
            defer { done = true }
            return !done
        }
        guard first, let current = binding.withLock({ $0 }), current.client.isOpen else { return }
        _ = try? await current.client.call(.release, ReleaseArgs(handle: current.handle, how: how), as: Empty.self)
    }
}
