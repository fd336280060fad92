/// When the agent stores its next snapshot: after `interval` records at least, and at about 5%
/// of elapsed time at most (see `Agent.writeSnapshotIfNeeded`). One snapshot task runs at a time.
struct SnapshotScheduler {
    /// Records between automatic snapshots, at least.
    let interval = 2_000
    var recordsSince = 0
    /// A snapshot being encoded and written off the actor; it returns how long it took.
    var task: Task<Duration, Never>?
    var lastAt = ContinuousClock.now
    var lastCost = Duration.zero

    /// Whether a snapshot is due now (always, with `force`).
    func isDue(force: Bool) -> Bool {
        if force { return true }
        return recordsSince >= interval && ContinuousClock.now - lastAt >= lastCost * 20
    }
}
