import Foundation
import Synchronization

/// The single writer of one agent's log in a `FileStore`.
///
/// **Group commit.** Appends are framed by the caller's task, then queued under a lock. The
/// first durable append with no sync in flight becomes the *leader*: it writes everything
/// queued with one `write` and syncs once. Durable appends that arrive meanwhile wait; when the
/// leader's sync ends, those it covered return and the first one left leads the next round, so
/// N concurrent appenders cost about one sync per round rather than N.
///
/// **Buffered** appends are written to the file at once (a killed process loses nothing it
/// handed over) and synced within `flushDelay` by a background flush, or earlier by any
/// durable append. A failed write or sync makes the writer read-only for good: after a failed
/// `fdatasync` the kernel may have dropped the dirty pages, so retrying could claim durability
/// for data that is gone.
///
/// **Preallocation.** From its second write on, a writer keeps the newest segment zero-filled
/// up to `FileStore.preallocation` bytes past its last record (extended by one write whenever
/// an append reaches the end), so most durable appends overwrite blocks the file already has:
/// `fdatasync` then writes the data without also committing a new file size, which on a
/// journaling file system is a second flush. Readers see the zeros as the end of the log (`ScanEnd.unusedSpace`); the
/// writer cuts them off before it starts a new segment and when it closes, and an open after
/// a crash cuts what was left.
///
/// **Deferred creation.** For an agent created with `CreationDurability.deferred`, the first
/// sync round also makes the agent's directory entries durable (`FileStore.syncCreation`), and
/// `sync()` and `close()` run that round even when no record waits for it. Until that round the
/// background flush leaves buffered records alone: they would not be reachable on disk anyway.
///
/// **Ordering from concurrent callers.** `append` is `async`, so two tasks calling it may
/// reach the queue in either order. A caller that assigns seqs and wants its appends to share
/// syncs (parallel tool calls, say) calls `enqueue` synchronously, in seq order, from its own
/// isolation, and then awaits each ticket's `wait()` concurrently.
package final class FileLogWriter: AgentLogWriter {
    /// How long buffered records may wait for a sync.
    static let flushDelay: DispatchTimeInterval = .milliseconds(50)

    struct State {
        var segment: UInt32
        var fd: Int32
        /// Where the current segment's records end.
        var fileLength: UInt64
        /// The segment file's size: `fileLength` plus the zero-filled space after it.
        var allocated: UInt64
        /// Set after the first write: only a writer that writes again preallocates, so a
        /// short-lived one (a fork's first record, a one-shot command) never pays for space it
        /// would cut again on close.
        var hasWritten = false
        /// Framed records accepted but not yet written (durable appends waiting for a leader).
        var pending: [UInt8] = []
        /// Log sequence numbers: bytes accepted, written and synced in this session.
        var appended: UInt64 = 0
        var written: UInt64 = 0
        var synced: UInt64 = 0
        var lastSeq: UInt64
        /// Where the record `lastSeq` ends.
        var lastEnd: LogPosition
        var syncing = false
        var waiters: [Waiter] = []
        var failure: StoreError?
        var closed = false
        var flushScheduled = false
        /// Descriptors of finished segments, kept open until close in case a sync is still using one.
        var retired: [Int32] = []
        /// The agent was created with `.deferred` durability and no sync has made that durable
        /// yet: the next sync round is `FileStore.syncCreation`, even with no record to sync.
        var creationPending: Bool
    }

    let store: FileStore
    let id: AgentID
    let lock: WriterLock
    let state: Mutex<State>
    /// Where this writer's syncs run (see `leadSyncRound`).
    let syncQueue: DispatchQueue

    init(store: FileStore, id: AgentID, lock: WriterLock, segment: UInt32, fd: Int32, length: UInt64, lastSeq: UInt64, creationPending: Bool = false) {
        self.store = store
        self.id = id
        self.lock = lock
        syncQueue = DispatchQueue(label: "kode.store.sync.\(id)")
        let end = LogPosition(segment: segment, offset: length)
        state = Mutex(State(
            segment: segment, fd: fd, fileLength: length, allocated: length, lastSeq: lastSeq, lastEnd: end,
            creationPending: creationPending))
    }

    deinit {
        // A writer dropped without close still gives its descriptors and the lock back.
        state.withLock { s in
            guard !s.closed else { return }
            s.closed = true
            // Not synced: if the cut is lost, the next open cuts the zeros itself.
            if s.allocated > s.fileLength { try? store.io.truncate(s.fd, to: s.fileLength) }
            store.io.close(s.fd)
            s.retired.forEach(store.io.close)
            lock.release()
            store.openWriters.withLock { _ = $0.remove(id) }
        }
    }

    var io: any FileIO { store.io }

    func segmentPath(_ number: UInt32) -> String { store.relative(store.paths(id).segment(number)) }

    // MARK: Appending

    /// Durable once `wait()` returns; see `FileLogWriter.enqueue`.
    package struct SyncTicket: Sendable {
        let writer: FileLogWriter
        let lsn: UInt64
        /// Returns once the enqueued records, and everything before them, are on stable storage.
        package func wait() async throws { try await writer.waitUntilSynced(lsn) }
    }

    /// Appends in order (see the type's notes on group commit and buffered records).
    nonisolated(nonsending) package func append(_ records: [LogRecord], durability: Durability) async throws {
        let ticket = try enqueue(records, durability: durability)
        if durability == .durable { try await ticket.wait() }
    }

    /// Queues `records` now, in call order, without waiting for a sync. `.buffered` records are
    /// written to the file before this returns; `.durable` ones are written and synced by the
    /// next group-commit round, which `wait()` on the returned ticket joins or leads (the
    /// background flush syncs them within ~50 ms even if nobody waits).
    package func enqueue(_ records: [LogRecord], durability: Durability) throws -> SyncTicket {
        guard !records.isEmpty else {
            return SyncTicket(writer: self, lsn: try state.withLock { s in
                try usable(s)
                return s.appended
            })
        }
        // Encoding happens outside the lock, in the caller's task, so appenders encode in parallel.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(records.count * 256)
        do {
            try RecordCodec.frame(records, into: &bytes)
        } catch let error as RecordTooLarge {
            throw StoreError.io(
                path: store.relative(store.paths(id).wal),
                message: "record seq \(error.seq) is \(error.payloadSize) bytes, more than a log record may hold (\(LogFormat.maxPayloadSize)); nothing was written")
        }
        let lsn: UInt64
        do {
            lsn = try state.withLock { s -> UInt64 in
                try usable(s)
                try SeqOrder.check(records, after: s.lastSeq, agent: id)
                try rollIfNeeded(&s, adding: bytes.count)
                s.pending.append(contentsOf: bytes)
                s.appended += UInt64(bytes.count)
                s.lastSeq = records[records.count - 1].seq
                s.lastEnd = LogPosition(segment: s.segment, offset: s.fileLength + UInt64(s.pending.count))
                if durability == .buffered { try flushPending(&s) }
                scheduleFlush(&s)
                return s.appended
            }
        } catch let error as WriteFailure {
            fail(error.fatal)
            throw error.immediate
        }
        return SyncTicket(writer: self, lsn: lsn)
    }

    /// Returns once everything appended so far is synced (joining or leading a round).
    nonisolated(nonsending) package func sync() async throws {
        let lsn = try state.withLock { s -> UInt64 in
            try usable(s)
            return s.appended
        }
        try await waitUntilSynced(lsn)
    }

    /// Marks the writer read-only and fails every waiting appender.
    func fail(_ failure: StoreError) {
        let waiters = state.withLock { s -> [Waiter] in
            if s.failure == nil { s.failure = failure }
            s.syncing = false
            defer { s.waiters = [] }
            return s.waiters
        }
        for waiter in waiters { waiter.continuation.resume(throwing: failure) }
    }

    func usable(_ s: State) throws {
        if let failure = s.failure { throw failure }
        if s.closed { throw StoreError.readOnly(id, reason: "the writer was closed") }
    }

    // MARK: Snapshots and closing

    /// Syncs the log, then writes the snapshot atomically with the log position it covers, then prunes.
    package func writeSnapshot(_ snapshot: StoredSnapshot) async throws {
        // The records a snapshot covers must be durable before the snapshot says so.
        try await sync()
        let known = try state.withLock { s -> LogPosition? in
            try usable(s)
            guard snapshot.seq <= s.lastSeq else {
                throw StoreError.io(path: store.relative(store.paths(id).snapshots), message: "snapshot at seq \(snapshot.seq) is past the last record (seq \(s.lastSeq))")
            }
            return snapshot.seq == s.lastSeq ? s.lastEnd : nil
        }
        try await store.offCooperativePool { [store, id] in
            let position = try known ?? store.endPosition(id, of: snapshot.seq)
            try store.storeSnapshot(id, snapshot, position: position)
        }
    }

    /// Syncs, closes the segment and releases the lock. A second close does nothing.
    package func close() async throws {
        var failure: (any Error)? = nil
        do { try await sync() } catch { failure = error }
        let wasOpen = state.withLock { s -> Bool in
            guard !s.closed else { return false }
            s.closed = true
            // Leaves the file exactly as long as its records. Best effort: zeros left behind
            // are cut by the next open, so a failure here loses nothing.
            if s.allocated > s.fileLength, (try? trimPreallocation(&s)) != nil { try? io.sync(s.fd) }
            io.close(s.fd)
            s.retired.forEach(io.close)
            return true
        }
        guard wasOpen else { return }
        lock.release()
        store.openWriters.withLock { _ = $0.remove(id) }
        if let failure { throw failure }
    }
}
