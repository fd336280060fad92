import Foundation

extension Agent {
    /// Makes the next record: folds it into the state now, stores it at the next commit.
    @discardableResult
    func record(_ body: RecordBody, at time: Date = Date()) -> LogRecord {
        let record = LogRecord(seq: nextSeq, timestamp: time, body: body)
        nextSeq += 1
        state.apply(record)
        batch.append(record)
        return record
    }

    /// Records an event.
    func emit(_ event: AgentEvent) {
        record(.event(event))
    }

    /// Changes the breakpoint (no-op when unchanged).
    func setBreakpoint(_ to: Breakpoint) {
        guard state.breakpoint != to else { return }
        hooks.breakpoint?(to)
        emit(.breakpointChanged(BreakpointChangedEvent(from: state.breakpoint, to: to)))
    }

    /// Changes the runtime state (no-op when unchanged).
    func setRuntimeState(_ to: RuntimeState) {
        guard state.runtimeState != to else { return }
        emit(.stateChanged(StateChangedEvent(from: state.runtimeState, to: to)))
    }

    /// Hands the batch to the store; with `.durable` returns once it is on stable storage.
    /// Events are published only after they are stored, so a subscriber never sees an event a
    /// crash could take back, and replay-then-live has no gap.
    ///
    /// Commits take turns (FIFO) so records reach the store in seq order even when actor methods
    /// interleave; whoever holds the turn writes everything recorded so far. Awaiting the writer
    /// directly, rather than through a task per commit, keeps a step free of scheduler hops.
    func commit(_ durability: Durability) async throws {
        if closed {
            batch.removeAll()
            throw AgentError.closed
        }
        if let readOnlyReason {
            batch.removeAll()
            throw AgentError.readOnly(readOnlyReason)
        }
        let target = nextSeq - 1
        if appendInFlight {
            // The holder hands the turn straight to us (it stays taken), so no commit arriving
            // in between can slip ahead and write out of order.
            await withCheckedContinuation { appendQueue.append($0) }
        } else {
            appendInFlight = true
        }
        defer {
            if appendQueue.isEmpty {
                appendInFlight = false
            } else {
                appendQueue.removeFirst().resume()
            }
        }
        do {
            if !batch.isEmpty {
                let records = batch
                batch.removeAll(keepingCapacity: true)
                recordsSinceSnapshot += records.count
                try await writer.append(records, durability: durability)
                for record in records {
                    if let envelope = record.envelope(agentId: id) { bus.publish(envelope) }
                }
                appendedSeq = records[records.count - 1].seq
                if durability == .durable { durableSeq = appendedSeq }
            } else if durability == .durable && durableSeq < min(target, appendedSeq) {
                // Someone else wrote our records with a weaker durability: sync them now.
                try await writer.sync()
                durableSeq = appendedSeq
            }
        } catch {
            enterReadOnly(error)
            throw AgentError.readOnly(readOnlyReason ?? "\(error)")
        }
    }

    /// A failed append is fatal for this agent: no more writes, one live error event.
    func enterReadOnly(_ error: any Error) {
        guard readOnlyReason == nil else { return }
        readOnlyReason = "\(error)"
        let event = AgentEvent.error(ErrorEvent(
            phase: .storage, severity: .fatal,
            message: "storage failed; the agent is read-only from now on", detail: "\(error)"))
        // Not storable; published live only.
        bus.publish(EventEnvelope(seq: nextSeq, timestamp: Date(), agentId: id, event: event))
        nextSeq += 1
    }

    /// Stores a snapshot when `snapshotInterval` records accumulated since the last one, which
    /// bounds the replay when the agent is opened again.
    ///
    /// Encoding costs O(state), so snapshots are also kept to about 5% of elapsed time: an agent
    /// whose turns take seconds snapshots every `snapshotInterval` records, one fed by a
    /// zero-latency model (a benchmark) less often. The state is a value, so encoding and
    /// writing run off the actor; a step never waits for them, and one runs at a time.
    func writeSnapshotIfNeeded(force: Bool = false) async {
        guard readOnlyReason == nil, batch.isEmpty else { return }
        guard force || recordsSinceSnapshot >= snapshotInterval else { return }
        guard force || ContinuousClock.now - lastSnapshotAt >= lastSnapshotCost * 20 else { return }
        if let previous = snapshotTask {
            lastSnapshotCost = await previous.value
            snapshotTask = nil
        }
        let captured = state
        let writer = self.writer
        let logger = self.logger
        recordsSinceSnapshot = 0
        lastSnapshotAt = ContinuousClock.now
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
        snapshotTask = task
        if force { lastSnapshotCost = await task.value }
    }
}
