import Foundation

/// One timer for many agents' timed triggers: it waits (on a ``SchedulerClock``) for the
/// earliest next fire time it was told of, calls `fire` for every agent due then, and waits for
/// what `fire` says is next. Firing twice is harmless — an agent fires only what is due by its
/// log — so a timer never needs to be exact about what it already fired.
public actor TriggerTimer {
    /// Fires an agent's due triggers and returns its next fire time (nil: nothing timed left).
    public typealias Fire = @Sendable (AgentID) async -> Date?

    let clock: any SchedulerClock
    let fire: Fire
    private var due: [AgentID: Date] = [:]
    /// Bumped by every update of an agent, so a fire in flight does not overwrite a newer time.
    private var generation: [AgentID: UInt64] = [:]
    private var wake: Task<Void, Never>?
    private var armedFor: Date?
    private var stopped = false

    public init(clock: any SchedulerClock, fire: @escaping Fire) {
        self.clock = clock
        self.fire = fire
    }

    /// Sets when `id` is due next (nil forgets it) and re-arms the timer.
    public func update(_ id: AgentID, next: Date?) {
        due[id] = next
        generation[id, default: 0] &+= 1
        arm()
    }

    /// The agents the timer waits for and when each is due.
    public func pending() -> [AgentID: Date] { due }

    /// Stops waiting; later updates are ignored.
    public func stop() {
        stopped = true
        wake?.cancel()
        wake = nil
    }

    private func arm() {
        guard !stopped else { return }
        guard let earliest = due.values.min() else {
            wake?.cancel()
            wake = nil
            armedFor = nil
            return
        }
        if wake != nil, armedFor == earliest { return }
        wake?.cancel()
        armedFor = earliest
        wake = Task { [clock] in
            do {
                try await clock.sleep(until: earliest)
            } catch {
                return
            }
            await self.fireDue()
        }
    }

    private func fireDue() async {
        wake = nil
        armedFor = nil
        guard !stopped else { return }
        let now = clock.now()
        for id in due.filter({ $0.value <= now }).map(\.key).sorted() {
            let before = generation[id]
            let next = await fire(id)
            if generation[id] == before { due[id] = next }
        }
        arm()
    }
}
