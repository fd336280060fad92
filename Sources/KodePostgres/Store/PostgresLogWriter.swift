import Foundation
import KodeKernel
import PostgresNIO
import Synchronization

/// The owner's writer of one agent's log.
///
/// Every commit is one statement that inserts the records only if the fencing epoch is still
/// this owner's (`AppendStatement.fence`, the agent's row locked until the commit), so a stale owner
/// writes nothing. Appends that arrive while a commit is in flight wait and go together in the next one
/// (group commit). `.durable` commits wait for the WAL flush (`synchronous_commit` on);
/// `.buffered` ones commit asynchronously: visible at once, flushed by the server's WAL writer or
/// by the next durable commit, whichever is first.
public final class PostgresLogWriter: AgentLogWriter {
    let store: PostgresStore
    /// The agent written.
    public let id: AgentID
    let claim: OwnerClaim

    struct Pending {
        var records: [EncodedRecord]
        var durable: Bool
        var ticket: CommitTicket
        /// Commands whose effect these records are: marked applied by the same statement.
        var marks: [(command: Int64, outcome: String)] = []
    }

    struct State {
        /// The last seq handed to `append` (committed or queued).
        var queuedSeq: UInt64
        /// The last seq committed: the newest record in the database.
        var committedSeq: UInt64
        var pending: [Pending] = []
        var leading = false
        var failure: StoreError?
        var closed = false
        /// `close()` has begun (appends are still taken until its sync is done).
        var closing = false
        /// Commands being applied whose effect has not been appended yet (``arm(_:)``).
        var armed: [CommandMark] = []
    }

    let state: Mutex<State>
    private let commits = Atomic<Int>(0)

    init(store: PostgresStore, id: AgentID, claim: OwnerClaim) {
        self.store = store
        self.id = id
        self.claim = claim
        self.state = Mutex(State(queuedSeq: claim.lastSeq, committedSeq: claim.lastSeq))
    }

    /// The fencing epoch this writer's commits are conditional on.
    public var epoch: Int64 { claim.epoch }

    /// Appends in order; returns once committed (and, for `.durable`, flushed).
    nonisolated(nonsending) public func append(_ records: [LogRecord], durability: Durability) async throws {
        let encoded = try RecordBytes.encode(records)
        let marks = effects(of: records)
        try await queue(encoded, durable: durability == .durable, marks: marks).wait()
    }

    // MARK: Commands

    /// Arms a command being applied: the commit of the record that is its effect marks it applied.
    func arm(_ mark: CommandMark) {
        state.withLock { $0.armed.append(mark) }
    }

    /// Takes the mark off again; true when no record consumed it (the command produced nothing).
    func disarm(_ commandID: Int64) -> Bool {
        state.withLock { state in
            let before = state.armed.count
            state.armed.removeAll { $0.commandID == commandID }
            return state.armed.count < before
        }
    }

    /// The armed commands whose effect is among `records` (each consumed by its first match).
    private func effects(of records: [LogRecord]) -> [(command: Int64, outcome: String)] {
        state.withLock { state in
            guard !state.armed.isEmpty else { return [] }
            var found: [(command: Int64, outcome: String)] = []
            for record in records {
                // Each effect is evaluated once (some encode JSON for their outcome).
                for (index, mark) in state.armed.enumerated() {
                    guard let outcome = mark.effect(record.body) else { continue }
                    state.armed.remove(at: index)
                    found.append((mark.commandID, outcome))
                    break
                }
            }
            return found
        }
    }

    /// Waits for everything appended so far and flushes it: an empty durable commit, which also
    /// proves this writer still owns the agent.
    nonisolated(nonsending) public func sync() async throws {
        try await enqueue([], durable: true)
    }

    /// Stores the snapshot and prunes older ones (keeping the newest two and, for each fork of
    /// this agent, the newest at or before its fork seq), in one fenced statement whose commit
    /// waits for the WAL flush. The log it describes needs no sync of its own: once the commits
    /// queued before it are done, they are ahead of it in the WAL, and a flush is in WAL order.
    public func writeSnapshot(_ snapshot: StoredSnapshot) async throws {
        try await drain()
        var binds = PostgresBindings()
        binds.append(id)
        binds.append(claim.epoch)
        binds.append(Int64(clamping: snapshot.seq))
        binds.append(ByteBuffer(bytes: snapshot.data.withUnsafeBytes { SnapshotCompression.compress($0) }))
        // The statement's parts see the table as it was before it: `kept` adds the new seq.
        let sql = """
            WITH \(AppendStatement<DurableAppend>.fence), stored AS (
                INSERT INTO snapshots (agent_id, seq, data)
                SELECT $1, $3, $4 FROM fence WHERE ok
                ON CONFLICT (agent_id, seq) DO UPDATE SET data = EXCLUDED.data RETURNING seq
            ), kept AS (
                SELECT seq FROM snapshots WHERE agent_id = $1 UNION SELECT seq FROM stored
            ), pruned AS (
                DELETE FROM snapshots s WHERE s.agent_id = $1 AND EXISTS (SELECT 1 FROM stored)
                  AND s.seq < (SELECT min(seq) FROM (SELECT seq FROM kept ORDER BY seq DESC LIMIT 2) newest)
                  AND NOT EXISTS (
                    SELECT 1 FROM agents c WHERE c.parent_id = $1
                      AND s.seq = (SELECT max(seq) FROM kept WHERE seq <= c.parent_seq))
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM stored), (SELECT count(*) FROM pruned)
            """
        store.flushedCommits.add(1, ordering: .relaxed)
        let rows = try await store.database.rows("writing a snapshot of \(id)", PostgresQuery(unsafeSQL: sql, binds: binds))
        var stored: Int64 = 0
        if let row = rows.first { (stored, _) = try row.decode((Int64, Int64).self) }
        if stored == 0 { throw try await fenceFailure(expectedSeq: nil) }
    }

    /// Waits until every append queued so far is committed (not necessarily flushed); costs
    /// nothing when none is in flight.
    private func drain() async throws {
        let busy = try state.withLock { state -> Bool in
            if let failure = state.failure { throw failure }
            return state.leading || !state.pending.isEmpty
        }
        if busy { try await enqueue([], durable: false) }
    }

    /// Syncs, then gives the agent back (lock released, owner cleared). Closing twice is harmless.
    public func close() async throws {
        // The first close does the work; a concurrent second one must not release again.
        let first = state.withLock { state -> Bool in
            guard !state.closing else { return false }
            state.closing = true
            return true
        }
        guard first else { return }
        var syncError: (any Error)? = nil
        if state.withLock({ $0.failure == nil }) && claim.lost == nil {
            do { try await sync() } catch { syncError = error }
        }
        state.withLock { $0.closed = true }
        store.writers.forget(self)
        await store.ownership.release(claim)
        if let syncError { throw syncError }
    }

    // MARK: Group commit

    /// An append queued by `enqueue`; `wait()` returns once it is committed.
    package struct QueuedAppend: Sendable {
        let writer: PostgresLogWriter
        let ticket: CommitTicket
        let leads: Bool

        /// Commits a round if this append was first (or is handed the lead later), and returns
        /// once its own commit is done.
        package func wait() async throws {
            if leads { await writer.leadRound() }
            while true {
                switch await ticket.next() {
                case .committed(let result): return try result.get()
                case .lead: await writer.leadRound()
                }
            }
        }
    }

    /// Queues records without waiting, for callers that hand out seqs themselves and want
    /// concurrent appends to share commits: enqueue in seq order, then `wait()` on each in the
    /// same order (the lead of a round passes to the oldest append still queued, so waiting on a
    /// later one first would wait for a round nobody leads).
    package func enqueue(_ records: [LogRecord], durability: Durability) throws -> QueuedAppend {
        try queue(try RecordBytes.encode(records), durable: durability == .durable, marks: effects(of: records))
    }

    /// Commit statements run so far (group commit makes it smaller than the number of appends).
    package var commitCount: Int { commits.load(ordering: .relaxed) }

    private func enqueue(_ records: [EncodedRecord], durable: Bool) async throws {
        try await queue(records, durable: durable).wait()
    }

    private func queue(_ records: [EncodedRecord], durable: Bool, marks: [(command: Int64, outcome: String)] = []) throws -> QueuedAppend {
        let ticket = CommitTicket()
        let lead = try state.withLock { state -> Bool in
            if let failure = state.failure { throw failure }
            if state.closed { throw StoreError.readOnly(id, reason: "the writer was closed") }
            if let lost = claim.lost { throw StoreError.readOnly(id, reason: "lost ownership: \(lost)") }
            var previous = state.queuedSeq
            for record in records {
                guard record.seq > previous else {
                    throw StoreError.io(path: "\(store.url) agent \(id)", message: "record seq \(record.seq) is not greater than the previous seq \(previous); seqs must strictly increase")
                }
                previous = record.seq
            }
            state.queuedSeq = previous
            state.pending.append(Pending(records: records, durable: durable, ticket: ticket, marks: marks))
            guard !state.leading else { return false }
            state.leading = true
            return true
        }
        return QueuedAppend(writer: self, ticket: ticket, leads: lead)
    }

    /// Commits what is queued as one round, then hands the lead to the first append queued
    /// meanwhile, if any: a leader commits its own round and returns, so an append's wait is
    /// bounded by two rounds however busy the writer stays.
    func leadRound() async {
        let round = state.withLock { state -> (batch: [Pending], after: UInt64, failure: StoreError?) in
            defer { state.pending = [] }
            return (state.pending, state.committedSeq, state.failure)
        }
        let result: Result<Void, StoreError>
        if round.batch.isEmpty {
            result = .success(())
        } else if let failure = round.failure {
            result = .failure(failure)
        } else {
            result = await commit(round.batch, after: round.after)
        }
        let next = state.withLock { state -> CommitTicket? in
            switch result {
            case .success: state.committedSeq = round.batch.last { !$0.records.isEmpty }?.records.last?.seq ?? state.committedSeq
            case .failure(let error): state.failure = error
            }
            guard let first = state.pending.first else {
                state.leading = false
                return nil
            }
            return first.ticket
        }
        for pending in round.batch { pending.ticket.resolve(result) }
        next?.handLead()
    }

    private func commit(_ batch: [Pending], after: UInt64) async -> Result<Void, StoreError> {
        let records = batch.flatMap(\.records)
        let durable = batch.contains { $0.durable }
        // Waiting for commits queued earlier (`drain`) needs no statement of its own.
        guard durable || !records.isEmpty else { return .success(()) }
        commits.add(1, ordering: .relaxed)
        let number = durable ? store.flushedCommits.add(1, ordering: .relaxed).newValue : 0
        let observer = durable ? store.commitObserver.withLock { $0 } : nil
        observer?(number, false)
        defer { observer?(number, true) }
        let marks = batch.flatMap(\.marks)
        do {
            let row: AppendStatement<DurableAppend>.Row
            switch (durable, records.isEmpty) {
            case (true, false): row = try await run(AppendStatement<DurableAppend>(self, records), marks: marks)
            case (true, true): row = try await run(AppendStatement<SyncAppend>(self, records), marks: marks)
            case (false, _): row = try await run(AppendStatement<BufferedAppend>(self, records), marks: marks)
            }
            guard row.fenced == 1 else { return .failure(try await fenceFailure(expectedSeq: after)) }
            guard row.inserted == records.count else {
                return .failure(StoreError.io(path: "\(store.url) agent \(id)", message: "stored \(row.inserted) of \(records.count) records"))
            }
            return .success(())
        } catch let error as StoreError {
            if case .io(let path, let message) = error {
                // A commit whose answer was lost may or may not have happened: stop here, loudly.
                return .failure(.io(path: path, message: message + "; the agent is read-only until it is opened again (the last append may or may not be stored)"))
            }
            return .failure(error)
        } catch {
            return .failure(StoreError.io(path: "\(store.url) agent \(id)", message: PostgresErrorText.describe(error)))
        }
    }

    /// Runs one commit: prepared, or as plain SQL when it also marks inbox commands (or when a
    /// benchmark turned preparing off to compare).
    private func run<Kind>(_ statement: AppendStatement<Kind>, marks: [(command: Int64, outcome: String)]) async throws -> AppendStatement<Kind>.Row {
        let rows: [AppendStatement<Kind>.Row]
        if marks.isEmpty && store.preparedAppends.load(ordering: .relaxed) {
            rows = try await store.database.commitRows("appending to \(id)", statement)
        } else {
            rows = try await store.database.rows("appending to \(id)", markingQuery(statement, marks: marks)).map { try statement.decodeRow($0) }
        }
        guard let row = rows.first else { throw StoreError.io(path: "\(store.url) agent \(id)", message: "the append returned no result") }
        return row
    }

    /// The append as plain SQL, also marking the commands these records are the effect of, in
    /// the same statement and only when the fence let the records in (`CommandMark`). Not
    /// prepared: it is one commit per applied inbox command.
    private func markingQuery<Kind>(_ append: AppendStatement<Kind>, marks: [(command: Int64, outcome: String)]) throws -> PostgresQuery {
        var binds = try append.makeBindings()
        guard !marks.isEmpty else { return PostgresQuery(unsafeSQL: Kind.sql, binds: binds) }
        binds.append(marks.map(\.command))
        binds.append(marks.map(\.outcome))
        let marking = """
            , marked AS (
                UPDATE commands c SET applied = now(), outcome = m.outcome
                FROM unnest($7::bigint[], $8::text[]) AS m (id, outcome)
                WHERE c.id = m.id AND c.applied IS NULL AND (SELECT ok FROM fence) RETURNING 1
            )
            """
        return PostgresQuery(unsafeSQL: AppendStatement<Kind>.text(marking: marking), binds: binds)
    }

    /// Why the fence let nothing in: another owner took over (the usual case), or the agent is gone.
    func fenceFailure(expectedSeq: UInt64?) async throws -> StoreError {
        let tables = store.tables
        var binds = PostgresBindings()
        binds.append(id)
        let sql = """
            SELECT a.epoch, COALESCE(w.description, a.owner) FROM \(tables.agents) a
            LEFT JOIN \(tables.workers) w ON w.id = a.owner WHERE a.id = $1
            """
        let rows = try await store.database.rows("checking ownership of \(id)", PostgresQuery(unsafeSQL: sql, binds: binds))
        guard let row = rows.first else { return .notFound(id) }
        let (epoch, owner) = try row.decode((Int64, String?).self)
        if epoch != claim.epoch {
            let reason = "\(owner ?? "another owner") took agent \(id) over (fencing epoch \(epoch), ours \(claim.epoch)); nothing more was written by this process"
            claim.markLost(reason)
            return .readOnly(id, reason: "lost ownership: \(reason)")
        }
        return .io(path: "\(store.url) agent \(id)", message: "the fence refused a commit at this writer's own epoch \(epoch) (after seq \(expectedSeq ?? 0))")
    }
}

private extension AppendStatement {
    /// The commit of `records` by `writer`, conditional on its epoch.
    init(_ writer: PostgresLogWriter, _ records: [EncodedRecord]) {
        self.init(
            agent: writer.id, epoch: writer.claim.epoch, seqs: records.map { Int64(clamping: $0.seq) },
            types: records.map { Int16($0.type) }, payloads: records.map { ByteBuffer(bytes: $0.payload) },
            channel: writer.store.tables.channel)
    }
}
