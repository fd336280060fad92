import Foundation
import KodeKernel
import Logging

/// The part of `kode serve --store postgres://…` that makes it one worker among many
/// (docs/POSTGRES.md, "Workers and takeover"): it applies the inbox commands of the agents it
/// owns, takes agents nobody owns that have work to do (pending commands, an interrupted turn,
/// pending approvals, queued input) — which is how a dead worker's agents are taken over — and
/// resumes each by the recovery table as any open does.
///
/// Woken by LISTEN/NOTIFY, and polling every `pollInterval` regardless, so a lost notification
/// costs one interval.
public actor PostgresWorker {
    let store: PostgresStore
    let hub: LocalAgentHub
    let wakeUps: WakeUps
    let pollInterval: Duration
    let logger: Logger

    /// The agents this worker owns: one attachment each, which keeps them open in the hub.
    private var owned: [AgentID: any AgentHandle] = [:]
    /// Agents whose inbox is being applied right now.
    private var draining: Set<AgentID> = []
    /// Unowned agents found to have nothing to do, at this last seq and epoch: not read again
    /// until one of them changes.
    private var idle: [AgentID: (lastSeq: Int64, epoch: Int64)] = [:]
    /// Agents taken from this worker by another (fenced): their read-only copy stays open in the
    /// hub until this process ends, so this worker does not take them again.
    private var lost: Set<AgentID> = []
    private var loop: Task<Void, Never>?
    /// The look at handed-back agents in progress (see `scan`).
    private var scanning: Task<Void, Never>?
    private var stopped = false

    /// - Parameter pollInterval: how often the inbox and the unowned agents are looked at when
    ///   no notification came.
    public init(store: PostgresStore, hub: LocalAgentHub, pollInterval: Duration = .milliseconds(250), logger: Logger) {
        self.store = store
        self.hub = hub
        self.pollInterval = pollInterval
        self.logger = logger
        self.wakeUps = WakeUps(store: store, logger: logger)
    }

    /// Starts listening and polling.
    public func start() {
        guard loop == nil, !stopped else { return }
        wakeUps.start()
        loop = Task { [weak self] in
            while !Task.isCancelled {
                guard let self else { return }
                let seen = self.wakeUps.commands.count
                await self.pass()
                await self.wakeUps.commands.wait(since: seen, timeout: self.pollInterval)
            }
        }
    }

    /// Stops taking agents and applying commands, and lets go of its attachments; the host then
    /// closes or detaches the agents (graceful stop: nothing sealed, the next owner finds them as
    /// they were).
    public func stop() async {
        stopped = true
        loop?.cancel()
        loop = nil
        wakeUps.stop()
        let handles = Array(owned.values)
        owned = [:]
        for handle in handles { await handle.release(.leave) }
    }

    /// Wakes the loop now (a client of this worker queued a command).
    nonisolated func wake() { wakeUps.commands.signal() }

    /// Whether this worker owns `id` now.
    func owns(_ id: AgentID) -> Bool { owned[id] != nil }

    /// Takes `id` if nobody owns it; true when this worker owns it afterwards, false when
    /// another owner holds it. Any other failure to open it (a model that cannot be made, a
    /// damaged log) is thrown.
    func claim(_ id: AgentID) async throws -> Bool {
        if owned[id] != nil { return true }
        guard !stopped, !lost.contains(id) else { return false }
        do {
            let handle = try await hub.open(id, options: OpenOptions())
            if owned[id] != nil || stopped {
                await handle.release(.leave)
                return !stopped
            }
            owned[id] = handle
            idle[id] = nil
            logger.info("took agent", metadata: ["agent": "\(id)"])
            return true
        } catch StoreError.locked {
            return false
        }
    }

    /// Lets go of this worker's attachment (before the agent is deleted); false when it had none.
    func letGo(_ id: AgentID) async -> Bool {
        guard let handle = owned.removeValue(forKey: id) else { return false }
        await handle.release(.leave)
        return true
    }

    /// One look at the inbox and at the agents nobody owns. Agents whose owner never handed
    /// them back are taken at once; the others are looked at by `scan`, off this loop, so a
    /// long history to read never delays a takeover.
    func pass() async {
        guard !stopped else { return }
        let pending: [AgentID]
        let unowned: [PostgresStore.UnownedAgent]
        do {
            pending = try await store.agentsWithPendingCommands()
            unowned = try await store.unownedAgents()
        } catch {
            logger.warning("could not read the inbox", metadata: ["reason": "\(error)"])
            return
        }
        // Agents fenced off from this worker (another took them while it stalled).
        for (id, handle) in owned where store.ownedEpoch(of: id) == nil {
            logger.warning("lost agent to another owner", metadata: ["agent": "\(id)"])
            lost.insert(id)
            owned[id] = nil
            await handle.release(.leave)
        }
        // Owners whose lease ran out (stopped, partitioned): cut off, then taken like the rest.
        for agent in unowned {
            if let pid = agent.staleHolder { try? await store.cutOffStaleOwner(backend: pid) }
        }
        let free = Set(unowned.map(\.id))
        for id in pending where !draining.contains(id) && (owned[id] != nil || free.contains(id)) {
            do {
                if try await claim(id) { startDraining(id) }
            } catch {
                await refuseCommands(of: id, because: error)
            }
        }
        var toScan: [PostgresStore.UnownedAgent] = []
        for agent in unowned where owned[agent.id] == nil && !pending.contains(agent.id) {
            if let seen = idle[agent.id], seen.lastSeq == agent.lastSeq, seen.epoch == agent.epoch { continue }
            if agent.abandoned {
                await take(agent)
            } else {
                toScan.append(agent)
            }
        }
        if !toScan.isEmpty && scanning == nil {
            scanning = Task { await self.scan(toScan) }
        }
    }

    /// Agents handed back (owner cleared) that may still have work: each one's history is read
    /// once (until it changes) and the ones with work are taken.
    private func scan(_ agents: [PostgresStore.UnownedAgent]) async {
        defer { scanning = nil }
        for agent in agents where !stopped && owned[agent.id] == nil {
            if await Self.hasWorkLeft(agent.id, in: store) {
                await take(agent)
            } else {
                idle[agent.id] = (agent.lastSeq, agent.epoch)
            }
        }
    }

    /// Takes an agent nobody owns; one that cannot be opened is not tried again until it changes.
    private func take(_ agent: PostgresStore.UnownedAgent) async {
        do {
            _ = try await claim(agent.id)
        } catch {
            logger.warning("could not take over an agent", metadata: ["agent": "\(agent.id)", "reason": "\(error)"])
            idle[agent.id] = (agent.lastSeq, agent.epoch)
        }
    }

    /// Commands for an agent this worker cannot open are refused with the reason, so the client
    /// learns why instead of waiting.
    private func refuseCommands(of id: AgentID, because error: any Error) async {
        logger.warning("refusing the commands of an agent that cannot be opened", metadata: ["agent": "\(id)", "reason": "\(error)"])
        guard let commands = try? await store.pendingCommands(of: id) else { return }
        for (commandID, _) in commands {
            try? await store.finishCommand(commandID, failed: true, outcome: "agent \(id) could not be opened by \(store.ownership.description): \(error)")
        }
    }

    /// A turn left open, approvals waiting or input queued: what a crash or a hand-back leaves.
    /// Off the actor: folding a long history takes a while.
    private nonisolated static func hasWorkLeft(_ id: AgentID, in store: PostgresStore) async -> Bool {
        guard let history = try? await store.history(of: id), let state = try? AgentState.rebuild(from: history) else { return false }
        return state.breakpoint != .ready || state.turnOpen || !state.pendingApprovals.isEmpty || !state.queuedInputs.isEmpty
    }

    private func startDraining(_ id: AgentID) {
        guard let handle = owned[id], draining.insert(id).inserted else { return }
        Task {
            await self.drain(id, handle)
        }
    }

    /// Applies the agent's commands one after another, oldest first, until none is left.
    private func drain(_ id: AgentID, _ handle: any AgentHandle) async {
        defer { draining.remove(id) }
        while !stopped, owned[id] != nil {
            let commands: [(id: Int64, command: AgentCommand)]
            do {
                commands = try await store.pendingCommands(of: id)
            } catch {
                logger.warning("could not read the inbox", metadata: ["agent": "\(id)", "reason": "\(error)"])
                return
            }
            if commands.isEmpty { return }
            for (commandID, command) in commands {
                guard !stopped else { return }
                guard await CommandApplier.apply(commandID, command, to: handle, store: store, logger: logger) else {
                    logger.warning("lost agent to another owner", metadata: ["agent": "\(id)"])
                    lost.insert(id)
                    owned[id] = nil
                    await handle.release(.leave)
                    return
                }
            }
        }
    }
}
