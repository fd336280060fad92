import Foundation

/// Where the agent's records stand on their way to the store: the next seq, the records made
/// since the last commit, and how far the store has them.
///
/// A value the agent owns and changes only from its own isolation, so keeping these here costs
/// nothing on the step path: no lock, no allocation, no hop.
struct CommitPipeline {
    /// The seq the next record gets.
    private(set) var nextSeq: UInt64
    /// Records made since the last commit.
    private(set) var batch: [LogRecord] = []
    /// True while a commit is writing; later commits wait in `waiting`, first come first served.
    var inFlight = false
    var waiting: [CheckedContinuation<Void, Never>] = []
    /// The newest seq handed to the store, and the newest known to be synced.
    var appendedSeq: UInt64
    var durableSeq: UInt64
    /// Set for a sub-agent created with `CreationDurability.deferred`, until its first `.durable`
    /// commit: accepting its input and entering PRE_MODEL (and the unconfined-sandbox warning,
    /// which every open repeats) are then committed `.buffered`. Its
    /// input is the parent's `task_run` call, already durable in the parent's log, and losing
    /// either record only leads its recovery to ask the model again, as the recovery table does
    /// for PRE_MODEL anyway. Its first effect outside — a tool start, an approval shown, a
    /// decision, its answer — is a `.durable` commit, which syncs everything before it together
    /// with the agent's creation.
    var deferringSteps = false

    /// A pipeline for a log whose newest record is `lastSeq`.
    init(lastSeq: UInt64) {
        nextSeq = lastSeq + 1
        appendedSeq = lastSeq
        durableSeq = lastSeq
    }

    /// Takes the next seq for `record`'s body and queues the record for the next commit.
    mutating func make(_ body: RecordBody, at time: Date) -> LogRecord {
        let record = LogRecord(seq: nextSeq, timestamp: time, body: body)
        nextSeq += 1
        batch.append(record)
        return record
    }

    /// The queued records, leaving the batch empty (its capacity kept for the next step).
    mutating func takeBatch() -> [LogRecord] {
        let records = batch
        batch.removeAll(keepingCapacity: true)
        return records
    }

    /// Drops the queued records (the agent can no longer store them).
    mutating func discardBatch() {
        batch.removeAll()
    }
}
