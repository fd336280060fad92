import Foundation

/// The client API over agents run in this process (DESIGN §9): what `kode` does when no host
/// runs, and what a host serves to its clients.
///
/// Every agent is open at most once; handles share it and count as attachments. What happens
/// when the last one lets go depends on ``Retention``: an embedded front end closes the agent
/// (or detaches it mid-turn), a host keeps it running and closes idle agents nobody is attached
/// to, least recently used first, once more than `maxOpen` are open.
public actor LocalAgentHub: AgentHub {
    /// What happens to an agent when its last handle lets go.
    public enum Retention: Sendable, Hashable {
        /// Close it (idle) or detach it (mid-turn), as a front end quitting does.
        case closeWhenReleased
        /// Keep it running; close idle, unattached agents past `maxOpen`, oldest use first.
        case keepOpen(maxOpen: Int)
    }

    /// The store the agents live in.
    public nonisolated let store: any AgentStore
    let wiring: AgentWiring
    let retention: Retention

    struct Entry {
        let agent: Agent
        var attached: Int
        var lastUse: UInt64
    }

    var entries: [AgentID: Entry] = [:]
    /// A logical clock for least-recently-used order.
    var uses: UInt64 = 0
    /// Opens in progress, so two clients opening one agent at once share a single resume.
    var opening: [AgentID: Task<Agent, any Error>] = [:]
    /// Told of an agent's next trigger fire time when it may have changed (``HubScheduler``).
    var scheduleObserver: (@Sendable (AgentID, Date?) -> Void)?

    public init(store: any AgentStore, wiring: AgentWiring, retention: Retention = .closeWhenReleased) {
        self.store = store
        self.wiring = wiring
        self.retention = retention
    }

    // MARK: AgentHub

    public func list() async throws -> [AgentListing] {
        var live: [AgentID: AgentStatus] = [:]
        for (id, entry) in entries { live[id] = await entry.agent.status() }
        return try await store.list().map { AgentListing(manifest: $0, live: live[$0.id]) }
    }

    public func manifest(of id: AgentID) async throws -> AgentManifest {
        try await store.manifest(of: id)
    }

    public func create(_ config: AgentConfig) async throws -> any AgentHandle {
        let provider = try wiring.makeProvider(config.provider)
        let agent = try await Agent.create(config: config, dependencies: wiring.dependencies(store: store, provider: provider))
        uses += 1
        entries[agent.id] = Entry(agent: agent, attached: 1, lastUse: uses)
        await evictIfNeeded()
        return LocalAgentHandle(agent: agent, hub: self)
    }

    public func open(_ id: AgentID, options: OpenOptions) async throws -> any AgentHandle {
        let agent = try await attach(id, provider: options.provider)
        if options.continueTurn {
            let status = await agent.status()
            if status.turnInterrupted { try await agent.continueTurn() }
        }
        return LocalAgentHandle(agent: agent, hub: self)
    }

    public func remove(_ id: AgentID) async throws {
        if let entry = entries[id] {
            guard entry.attached == 0, await entry.agent.status().runtimeState == .ready else { throw ClientError.inUse(id) }
            entries[id] = nil
            await entry.agent.close()
        }
        try await store.delete(id)
    }

    public func fork(_ id: AgentID, at checkpoint: String) async throws -> AgentID {
        if let entry = entries[id] { return try await entry.agent.fork(at: checkpoint) }
        return try await Agent.fork(id, at: checkpoint, store: store)
    }

    public func state(of id: AgentID, at seq: UInt64?) async throws -> AgentView {
        if seq == nil, let entry = entries[id] {
            return AgentView(manifest: entry.agent.manifest, state: await entry.agent.snapshot())
        }
        let history = try await store.history(of: id)
        guard let seq else { return AgentView(manifest: history.manifest, state: try AgentState.rebuild(from: history)) }
        // A preview: fold from the start up to `seq` (a snapshot may lie beyond it).
        let records = try await store.records(of: id, after: 0).prefix { $0.seq <= seq }
        let past = AgentHistory(manifest: history.manifest, snapshot: nil, records: Array(records))
        return AgentView(manifest: history.manifest, state: try AgentState.rebuild(from: past))
    }

    /// A model for `config`, made as the hub makes every agent's.
    func makeProvider(_ config: ProviderConfig) throws -> any ModelProvider {
        do {
            return try wiring.makeProvider(config)
        } catch {
            throw ClientError.provider("\(error)")
        }
    }

    // MARK: Hosting

    /// The agents open right now, with their status.
    public func openAgents() async -> [(status: AgentStatus, attached: Int)] {
        var result: [(AgentStatus, Int)] = []
        for entry in entries.values.sorted(by: { $0.lastUse > $1.lastUse }) {
            result.append((await entry.agent.status(), entry.attached))
        }
        return result
    }

    /// Opens every agent that a crash left with work to recover or continue (a turn in
    /// progress, pending approvals, queued input) so the recovery table runs now rather than on
    /// the next attach, and an agent configured to continue does. Returns the ids opened.
    public func recoverAll() async -> (opened: [AgentID], failures: [String]) {
        var opened: [AgentID] = []
        var failures: [String] = []
        let manifests = (try? await store.list()) ?? []
        for manifest in manifests where entries[manifest.id] == nil {
            do {
                let history = try await store.history(of: manifest.id)
                let state = try AgentState.rebuild(from: history)
                guard state.breakpoint != .ready || !state.pendingApprovals.isEmpty || !state.queuedInputs.isEmpty else { continue }
                _ = try await attach(manifest.id, provider: nil)
                await release(manifest.id, how: .leave)
                opened.append(manifest.id)
            } catch {
                failures.append("\(manifest.id): \(error)")
            }
        }
        return (opened, failures)
    }

    /// Ends hosting: lets running turns finish for up to `grace`, then detaches what is left as
    /// a crash would (a tool still running is sealed on the next open) and closes the rest.
    public func shutDown(grace: Duration) async {
        let agents = entries.values.map(\.agent)
        entries.removeAll()
        await withTaskGroup(of: Void.self) { group in
            for agent in agents {
                group.addTask {
                    let finished = await Self.waitIdle(agent, within: grace)
                    if finished { await agent.close() } else { await agent.detach() }
                }
            }
        }
    }

    /// True when the agent's turn ended within `limit`. An agent waiting for a person runs
    /// nothing, so it is not waited for. Not a task group: waiting for a turn does not end on
    /// cancellation, and a group would wait for it past the limit.
    static func waitIdle(_ agent: Agent, within limit: Duration) async -> Bool {
        let status = await agent.status()
        if status.runtimeState == .paused { return false }
        if status.runtimeState == .ready { return true }
        let outcome = FirstOutcome()
        return await withCheckedContinuation { continuation in
            outcome.arm(continuation)
            Task {
                await agent.waitUntilIdle()
                outcome.resolve(true)
            }
            Task {
                try? await Task.sleep(for: limit)
                outcome.resolve(false)
            }
        }
    }

    // MARK: Attachments

    func attach(_ id: AgentID, provider: ProviderConfig?) async throws -> Agent {
        uses += 1
        if var entry = entries[id] {
            entry.attached += 1
            entry.lastUse = uses
            entries[id] = entry
            return entry.agent
        }
        if let pending = opening[id] {
            let agent = try await pending.value
            return attachOpened(agent)
        }
        let store = self.store
        let wiring = self.wiring
        let task = Task<Agent, any Error> {
            let manifest = try await store.manifest(of: id)
            let made = try wiring.makeProvider(provider ?? manifest.config.provider)
            let agent = try await Agent.resume(id: id, dependencies: wiring.dependencies(store: store, provider: made))
            // A model chosen with `/model` outlives the process, unless this open names one.
            if provider == nil, let chosen = await agent.snapshot().providerOverride {
                do {
                    await agent.restoreProvider(try wiring.makeProvider(chosen))
                } catch {
                    await agent.close()
                    throw ClientError.provider("\(id) uses \(chosen.name)/\(chosen.model) (chosen with /model): \(error)")
                }
            }
            return agent
        }
        opening[id] = task
        defer { opening[id] = nil }
        let agent = try await task.value
        let attached = attachOpened(agent)
        await evictIfNeeded()
        await scheduleMayHaveChanged(agent)
        return attached
    }

    private func attachOpened(_ agent: Agent) -> Agent {
        if var entry = entries[agent.id] {
            entry.attached += 1
            entry.lastUse = uses
            entries[agent.id] = entry
        } else {
            entries[agent.id] = Entry(agent: agent, attached: 1, lastUse: uses)
        }
        return agent
    }

    /// Called once per handle when it lets go; returns once the agent is closed or detached
    /// if that was the last handle of a front end (which exits right after and must not leave
    /// the lock behind).
    func release(_ id: AgentID, how: Release) async {
        guard var entry = entries[id] else { return }
        entry.attached = max(0, entry.attached - 1)
        entries[id] = entry
        guard entry.attached == 0 else { return }
        switch retention {
        case .closeWhenReleased:
            if how == .background, await entry.agent.status().runtimeState != .ready {
                // Switched away from mid-turn: the turn goes on here; the agent is let go when
                // it ends, unless someone attached again meanwhile.
                let agent = entry.agent
                Task { [weak self] in
                    await agent.waitUntilIdle()
                    await self?.releaseIfUnattached(agent)
                }
                return
            }
            entries[id] = nil
            await Self.letGo(entry.agent, how: how)
        case .keepOpen:
            await evictIfNeeded()
        }
    }

    /// Lets go of an agent left running in the background once its turn has ended.
    private func releaseIfUnattached(_ agent: Agent) async {
        guard let entry = entries[agent.id], entry.agent === agent, entry.attached == 0 else { return }
        entries[agent.id] = nil
        await Self.letGo(agent, how: .leave)
    }

    /// Agents open here that no handle holds: turns left running in the background by a front
    /// end that switched away from them (see ``Release/background``). A front end that exits
    /// hands them to a host or detaches them, as it does with the agent it shows.
    public func backgroundAgents() -> [AgentID] {
        guard case .closeWhenReleased = retention else { return [] }
        return entries.filter { $0.value.attached == 0 }.map(\.key).sorted()
    }

    /// Closes an idle agent; detaches one mid-turn, so pending approvals stay pending and a
    /// running tool is sealed on the next open, with everything recorded synced.
    static func letGo(_ agent: Agent, how: Release) async {
        if how == .leave, await agent.status().runtimeState == .ready {
            await agent.close()
        } else {
            await agent.detach()
        }
    }

    func evictIfNeeded() async {
        guard case .keepOpen(let maxOpen) = retention, entries.count > maxOpen else { return }
        let candidates = entries.values.filter { $0.attached == 0 }.sorted { $0.lastUse < $1.lastUse }
        for entry in candidates where entries.count > maxOpen {
            guard await entry.agent.status().runtimeState == .ready else { continue }
            // Re-check after the await: a client may have attached meanwhile.
            guard let current = entries[entry.agent.id], current.attached == 0 else { continue }
            entries[entry.agent.id] = nil
            await entry.agent.close()
        }
    }
}
