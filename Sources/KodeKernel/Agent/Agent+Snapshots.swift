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
            snapshots.note(await previous.value)
            snapshots.task = nil
        }
        let captured = state
        let writer = self.writer
        let logger = self.logger
        snapshots.recordsSince = 0
        snapshots.lastAt = ContinuousClock.now
        let task = Task.detached(priority: .utility) { () -> SnapshotWrite in
            let started = ContinuousClock.now
            var bytes = 0
            do {
                let data = try captured.encoded()
                bytes = data.count
                try await writer.writeSnapshot(StoredSnapshot(seq: captured.lastSeq, data: data))
            } catch {
                logger.warning("snapshot failed: \(error)")
            }
            return SnapshotWrite(cost: ContinuousClock.now - started, bytes: bytes)
        }
        snapshots.task = task
        if force { snapshots.note(await task.value) }
    }

    /// What opening found: the records replayed after the newest snapshot count towards the next
    /// one, and that snapshot's size stands for what writing another costs.
    func noteOpened(_ history: AgentHistory) {
        snapshots.recordsSince = history.records.count
        snapshots.lastBytes = history.snapshot?.data.count ?? 0
    }
}

extension SnapshotScheduler {
    mutating func note(_ write: SnapshotWrite) {
        lastCost = write.cost
        if write.bytes > 0 { lastBytes = write.bytes }
    }
}
