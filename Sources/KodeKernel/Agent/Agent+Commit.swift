import Foundation

extension Agent {
    /// Hands the batch to the store; with `.durable` returns once it is on stable storage.
    /// Events are published only after they are stored, so a subscriber never sees an event a
    /// crash could take back, and replay-then-live has no gap.
    ///
    /// Commits take turns (FIFO) so records reach the store in seq order even when actor methods
    /// interleave; whoever holds the turn writes everything recorded so far. Awaiting the writer
    /// directly, rather than through a task per commit, keeps a step free of scheduler hops.
    func commit(_ durability: Durability) async throws {
        if closed {
            pipeline.discardBatch()
            throw AgentError.closed
        }
        if let readOnlyReason {
            pipeline.discardBatch()
            throw AgentError.readOnly(readOnlyReason)
        }
        let target = pipeline.nextSeq - 1
        if pipeline.inFlight {
            // The holder hands the turn straight to us (it stays taken), so no commit arriving
            // in between can slip ahead and write out of order.
            await withCheckedContinuation { pipeline.waiting.append($0) }
        } else {
            pipeline.inFlight = true
        }
        defer {
            if pipeline.waiting.isEmpty {
                pipeline.inFlight = false
            } else {
                pipeline.waiting.removeFirst().resume()
            }
        }
        // The commit we waited for may have failed, and it may have taken our records with it
        // (it writes everything recorded when its turn came): returning as if they were stored
        // would let a tool run whose start is on no disk.
        if let readOnlyReason {
            pipeline.discardBatch()
            throw AgentError.readOnly(readOnlyReason)
        }
        do {
            if !pipeline.batch.isEmpty {
                let records = pipeline.takeBatch()
                snapshots.recordsSince += records.count
                try await writer.append(records, durability: durability)
                for record in records {
                    if let envelope = record.envelope(agentId: id) { bus.publish(envelope) }
                }
                pipeline.appendedSeq = records[records.count - 1].seq
                if durability == .durable { pipeline.durableSeq = pipeline.appendedSeq }
            } else if durability == .durable && (pipeline.durableSeq < min(target, pipeline.appendedSeq) || pipeline.deferringSteps) {
                // Someone else wrote our records with a weaker durability (or the agent's
                // deferred creation is not durable yet): sync them now.
                try await writer.sync()
                pipeline.durableSeq = pipeline.appendedSeq
            }
            if durability == .durable { pipeline.deferringSteps = false }
        } catch {
            enterReadOnly(error)
            throw AgentError.readOnly(readOnlyReason ?? "\(error)")
        }
    }

    /// How a step only this agent depends on is committed (accepting input, entering
    /// PRE_MODEL): `.durable`, except in a sub-agent still deferring them (see
    /// ``CommitPipeline/deferringSteps``).
    var stepDurability: Durability { pipeline.deferringSteps ? .buffered : .durable }

    /// A failed append is fatal for this agent: no more writes, one live error event.
    ///
    /// The event cannot be stored, so it takes no seq: it is published with
    /// ``EventEnvelope/liveOnlySeq``. Numbering it would hand out a seq the log never holds, and
    /// the next writer of this agent would give that same seq to a different record.
    func enterReadOnly(_ error: any Error) {
        guard readOnlyReason == nil else { return }
        readOnlyReason = "\(error)"
        let event = AgentEvent.error(ErrorEvent(
            phase: .storage, severity: .fatal,
            message: "storage failed; the agent is read-only from now on", detail: "\(error)"))
        bus.publish(EventEnvelope(seq: EventEnvelope.liveOnlySeq, timestamp: Date(), agentId: id, event: event))
    }
}
