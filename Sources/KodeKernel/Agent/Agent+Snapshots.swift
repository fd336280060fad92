import Foundation

extension Agent {
    /// Stores a snapshot when `SnapshotScheduler.interval` records accumulated since the last one, which
    /// bounds the replay when the agent is opened again.
    ///
    /// Encoding costs O(state), so snapshots are also kept to about 5% of elapsed time: an agent
    /// whose turns take seconds snapshots every `interval` records, one fed by a
    /// zero-latency model (a benchmark) less often. The state is a value, so encoding and
    /// writing run off the actor; a step never waits for them, and one runs at a time.
    func writeSnapshotIfNeeded(force: Bool = false) async {
        guard readOnlyReason == nil, pipeline.batch.isEmpty, snapshots.isDue(force: force) else { return }
        if let previous = snapshots.task {
            snapshots.lastCost = await previous.value
            snapshots.task = nil
        }
        let captured = state
        let writer = self.writer
        let logger = self.logger
        snapshots.recordsSince = 0
        snapshots.lastAt = ContinuousClock.now
        let task = Task.detached(priority: .utility) { () -> Duration in
            let started = ContinuousClock.now
            do {
                let data = try captured.encoded()
                try await writer.writeSnapshot(StoredSnapshot(seq: captured.lastSeq, data: data))
            } catch {
                logger.warning("snapshot failed: \(error)")
            }
            return ContinuousClock.now - started
        }
        snapshots.task = task
        if force { snapshots.lastCost = await task.value }
    }
}
