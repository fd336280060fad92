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
            await withCheckedContinuation { appendQueue.append($0) }
        }
        appendInFlight = true
        defer {
            appendInFlight = false
            if !appendQueue.isEmpty { appendQueue.removeFirst().resume() }
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

    /// Stores a snapshot when enough records accumulated since the last one.
    ///
    /// Encoding costs O(state), so snapshots are spaced in proportion to the state (at least
    /// 16 records per message): the amortized cost per record stays constant while the replay
    /// after the newest snapshot stays bounded. The state is a value, so encoding and writing
    /// run off the actor and a step never waits for them; only one runs at a time.
    func writeSnapshotIfNeeded(force: Bool = false) async {
        guard readOnlyReason == nil, batch.isEmpty else { return }
        let interval = max(snapshotInterval, state.messages.count * 16)
        guard force || recordsSinceSnapshot >= interval else { return }
        // The previous snapshot finished long ago in practice (they are thousands of records
        // apart); waiting for it keeps at most one in flight.
        if let previous = snapshotTask { await previous.value }
        let captured = state
        let writer = self.writer
        let logger = self.logger
        recordsSinceSnapshot = 0
        let task = Task.detached(priority: .utility) {
            do {
                let data = try captured.encoded()
                try await writer.writeSnapshot(StoredSnapshot(seq: captured.lastSeq, data: data))
            } catch {
                logger.warning("snapshot failed: \(error)")
            }
        }
        snapshotTask = task
        if force { await task.value }
    }
}
