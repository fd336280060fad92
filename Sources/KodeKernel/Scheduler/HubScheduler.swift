import Foundation

/// Fires the timed triggers of every agent in a hub's store while nobody is attached: what
/// `kode serve` runs (DESIGN §9, docs/MULTI-AGENT.md "Scheduler"). On ``start()`` it reads each
/// stored agent's next fire time from its log (no agent is opened for that); from then on the
/// hub tells it of triggers added or removed through its handles and of agents it opens. When an
/// agent is due, the hub opens it, fires its due triggers (a fired message starts its turn,
/// which runs on in the hub) and lets it go.
public final class HubScheduler: Sendable {
    let hub: LocalAgentHub
    let timer: TriggerTimer
    /// Changes the hub reports, applied in the order they were reported (one task per change
    /// could apply an older time after a newer one and lose a trigger).
    private let changeSink: AsyncStream<(AgentID, Date?)>.Continuation
    private let applier: Task<Void, Never>

    /// - Parameter report: told of agents that could not be read or fired (the host logs it).
    public init(hub: LocalAgentHub, clock: any SchedulerClock, report: @escaping @Sendable (String) -> Void = { _ in }) {
        self.hub = hub
        self.timer = TriggerTimer(clock: clock) { [hub] id in
            do {
                return try await hub.fireDueTriggers(of: id)
            } catch StoreError.locked {
                // Another process holds the agent (a `kode run`, or a worker that owns it): try
                // again later, quietly; an owner that is a host fires it itself.
                return clock.now().addingTimeInterval(60)
            } catch {
                report("scheduler: could not fire the triggers of \(id): \(error); trying again in a minute")
                return clock.now().addingTimeInterval(60)
            }
        }
        let (changes, sink) = AsyncStream.makeStream(of: (AgentID, Date?).self)
        changeSink = sink
        applier = Task { [timer] in
            for await (id, next) in changes { await timer.update(id, next: next) }
        }
    }

    /// Reads every stored agent's next fire time and starts the timer. Returns the agents with
    /// timed triggers and when each is due.
    @discardableResult
    public func start() async -> [AgentID: Date] {
        let sink = changeSink
        await hub.observeSchedules { id, next in sink.yield((id, next)) }
        let found = await hub.storedTriggerTimes()
        for (id, next) in found { sink.yield((id, next)) }
        return found
    }

    /// Stops the timer (a host stopping).
    public func stop() async {
        changeSink.finish()
        applier.cancel()
        await timer.stop()
    }
}

extension LocalAgentHub {
    /// Opens `id`, fires its due triggers and lets it go (a turn a message started runs on);
    /// returns its next fire time.
    public func fireDueTriggers(of id: AgentID) async throws -> Date? {
        let agent = try await attach(id, provider: nil)
        do {
            let next = try await agent.fireDueTriggers()
            await release(id, how: .background)
            return next
        } catch {
            await release(id, how: .background)
            throw error
        }
    }

    /// The next fire time of every stored agent with timed triggers, read from the logs.
    public func storedTriggerTimes() async -> [AgentID: Date] {
        var found: [AgentID: Date] = [:]
        for manifest in (try? await store.list()) ?? [] {
            if let entry = entries[manifest.id] {
                if let next = await entry.agent.nextTriggerFire() { found[manifest.id] = next }
                continue
            }
            guard let history = try? await store.history(of: manifest.id),
                  let state = try? AgentState.rebuild(from: history),
                  let next = state.schedule.wakeTime else { continue }
            found[manifest.id] = next
        }
        return found
    }

    /// Sets the observer told of an agent's next fire time whenever it may have changed (a
    /// trigger added or removed through a handle, the agent opened).
    public func observeSchedules(_ observer: @escaping @Sendable (AgentID, Date?) -> Void) {
        scheduleObserver = observer
    }

    /// Tells the observer of `agent`'s next fire time.
    func scheduleMayHaveChanged(_ agent: Agent) async {
        guard let observer = scheduleObserver else { return }
        observer(agent.id, await agent.nextTriggerFire())
    }
}
