/// When the agent stores its next snapshot: after `interval` records at least, and at about 5%
/// of elapsed time at most (see `Agent.writeSnapshotIfNeeded`). One snapshot task runs at a time.
struct SnapshotScheduler {
    /// Records between automatic snapshots, at least.
    let interval = 2_000
    /// Records stored since the newest snapshot, counting those replayed when the agent was opened.
    var recordsSince = 0
    /// A snapshot being encoded and written off the actor.
    var task: Task<SnapshotWrite, Never>?
    var lastAt = ContinuousClock.now
    var lastCost = Duration.zero
    /// The size of the newest stored snapshot (0: none yet), to estimate what another costs.
    var lastBytes = 0

    /// What opening the agent pays per record after the newest snapshot, about: the file store
    /// replays one in 0.4 µs, PostgreSQL fetches and decodes one in under 2.
    static let replayCostPerRecord = Duration.microseconds(2)
    /// Encoding and writing a snapshot, per byte of it, when none was timed in this process.
    static let writeCostPerByte = Duration.nanoseconds(3)

    /// Whether a snapshot is due now (always, with `force`).
    func isDue(force: Bool) -> Bool {
        if force { return true }
        return recordsSince >= interval && ContinuousClock.now - lastAt >= lastCost * 20
    }

    /// Whether closing should store a snapshot: when replaying the records since the newest one
    /// would cost the next open more than writing a snapshot costs now. An agent opened to act
    /// once (a command, a worker handing it back) adds a record or two to a large state: writing
    /// the whole state again for them cost tens of milliseconds, reading them back microseconds.
    func isWorthWritingAtClose() -> Bool {
        guard recordsSince > 0 else { return false }
        if recordsSince >= interval || lastBytes == 0 { return true }
        let write = lastCost > .zero ? lastCost : Self.writeCostPerByte * lastBytes
        return Self.replayCostPerRecord * recordsSince >= write
    }
}

/// One snapshot written: how long encoding and storing it took, and its size.
struct SnapshotWrite: Sendable {
    var cost: Duration
    var bytes: Int
}
