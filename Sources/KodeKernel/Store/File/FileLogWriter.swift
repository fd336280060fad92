import Foundation

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
/// **Ordering from concurrent callers.** `append` is `async`, so two tasks calling it may
/// reach the queue in either order. A caller that assigns seqs and wants its appends to share
/// syncs (parallel tool calls, say) calls `enqueue` synchronously, in seq order, from its own
/// isolation, and then awaits each ticket's `wait()` concurrently.
public final class FileLogWriter: AgentLogWriter {
    /// How long buffered records may wait for a sync.
    static let flushDelay: DispatchTimeInterval = .milliseconds(50)

    enum Turn { case done, lead }

    struct Waiter {
        var lsn: UInt64
        var continuation: CheckedContinuation<Turn, any Error>
    }

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
    }

    let store: FileStore
    let id: AgentID
    let lock: WriterLock
    let state: LockedState<State>
    /// Where this writer's syncs run (see `leadSyncRound`).
    let syncQueue: DispatchQueue

    init(store: FileStore, id: AgentID, lock: WriterLock, segment: UInt32, fd: Int32, length: UInt64, lastSeq: UInt64) {
        self.store = store
        self.id = id
        self.lock = lock
        syncQueue = DispatchQueue(label: "kode.store.sync.\(id)")
        let end = LogPosition(segment: segment, offset: length)
        state = LockedState(State(segment: segment, fd: fd, fileLength: length, allocated: length, lastSeq: lastSeq, lastEnd: end))
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
    public struct SyncTicket: Sendable {
        let writer: FileLogWriter
        let lsn: UInt64
        /// Returns once the enqueued records, and everything before them, are on stable storage.
        public func wait() async throws { try await writer.waitUntilSynced(lsn) }
    }

    /// Appends in order (see the type's notes on group commit and buffered records).
    nonisolated(nonsending) public func append(_ records: [LogRecord], durability: Durability) async throws {
        let ticket = try enqueue(records, durability: durability)
        if durability == .durable { try await ticket.wait() }
    }

    /// Queues `records` now, in call order, without waiting for a sync. `.buffered` records are
    /// written to the file before this returns; `.durable` ones are written and synced by the
    /// next group-commit round, which `wait()` on the returned ticket joins or leads (the
    /// background flush syncs them within ~50 ms even if nobody waits).
    public func enqueue(_ records: [LogRecord], durability: Durability) throws -> SyncTicket {
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
    nonisolated(nonsending) public func sync() async throws {
        let lsn = try state.withLock { s -> UInt64 in
            try usable(s)
            return s.appended
        }
        try await waitUntilSynced(lsn)
    }

    /// Returns once everything up to `lsn` is synced, leading sync rounds when it is this task's turn.
    func waitUntilSynced(_ lsn: UInt64) async throws {
        let turn = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Turn, any Error>) in
            let now: Result<Turn, any Error>? = state.withLock { s in
                if s.synced >= lsn { return .success(.done) }
                if let failure = s.failure { return .failure(failure) }
                if !s.syncing {
                    s.syncing = true
                    return .success(.lead)
                }
                s.waiters.append(Waiter(lsn: lsn, continuation: continuation))
                return nil
            }
            if let now { continuation.resume(with: now) }
        }
        if turn == .lead { try await leadSyncRound() }
    }

    /// One group-commit round; the caller owns `syncing`. Writes everything queued, syncs once,
    /// releases the appenders it covered and hands leadership to the first one left.
    ///
    /// The sync itself runs on this writer's own dispatch queue, not on the caller's thread: an
    /// `fdatasync` takes milliseconds, and blocking one of the few cooperative threads for it
    /// would starve the very appenders that should be queueing up for the next round.
    func leadSyncRound() async throws {
        let (fd, target, segment) = try prepareRound()
        do {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                syncQueue.async { [io] in continuation.resume(with: Result { try io.sync(fd) }) }
            }
        } catch {
            throw syncFailed(error, segment: segment)
        }
        completeRound(target)
    }

    /// `leadSyncRound` for the background flush, which already runs off the cooperative pool.
    func leadSyncRoundBlocking() throws {
        let (fd, target, segment) = try prepareRound()
        do {
            try io.sync(fd)
        } catch {
            throw syncFailed(error, segment: segment)
        }
        completeRound(target)
    }

    func prepareRound() throws -> (fd: Int32, target: UInt64, segment: UInt32) {
        do {
            return try state.withLock { s in
                if let failure = s.failure { throw WriteFailure(immediate: failure, fatal: failure) }
                try flushPending(&s)
                return (s.fd, s.written, s.segment)
            }
        } catch let error as WriteFailure {
            fail(error.fatal)
            throw error.immediate
        }
    }

    func syncFailed(_ error: any Error, segment: UInt32) -> StoreError {
        let failure = StoreError.readOnly(id, reason: "syncing \(segmentPath(segment)) failed (\(error)); records after the last successful sync may be lost, so the log is no longer written")
        fail(failure)
        return failure
    }

    func completeRound(_ target: UInt64) {
        var released: [Waiter] = []
        var next: Waiter? = nil
        state.withLock { s in
            s.synced = max(s.synced, target)
            var remaining: [Waiter] = []
            for waiter in s.waiters {
                if waiter.lsn <= s.synced { released.append(waiter) } else { remaining.append(waiter) }
            }
            if remaining.isEmpty {
                s.syncing = false
            } else {
                next = remaining.removeFirst()
            }
            s.waiters = remaining
        }
        for waiter in released { waiter.continuation.resume(returning: .done) }
        next?.continuation.resume(returning: .lead)
    }

    /// An error to throw now, and the read-only state the writer takes from then on.
    struct WriteFailure: Error {
        var immediate: StoreError
        var fatal: StoreError
    }

    /// Writes the queued bytes, extending the zero-filled space first when they reach past it.
    /// On failure the file is put back as it was (cut to its old size, the space past the last
    /// record reading as zeros again), so no record is left half written, and the writer turns
    /// read-only.
    func flushPending(_ s: inout State) throws {
        guard !s.pending.isEmpty else { return }
        let at = s.fileLength
        let end = at + UInt64(s.pending.count)
        let size = s.allocated
        do {
            if end > s.allocated && s.hasWritten { try preallocate(&s, covering: end) }
            try s.pending.withUnsafeBytes { try io.write(s.fd, $0, at: at) }
        } catch {
            let path = segmentPath(s.segment)
            var message = "\(error); no record of this write was stored"
            s.allocated = size
            do {
                try io.truncate(s.fd, to: at)
                if size > at { try io.truncate(s.fd, to: size) }
            } catch {
                message += " (cutting the partial write back also failed: \(error); the next open repairs it as a torn tail)"
            }
            throw WriteFailure(
                immediate: .io(path: path, message: message),
                fatal: .readOnly(id, reason: "writing \(path) failed: \(error)")
            )
        }
        s.fileLength = end
        s.allocated = max(s.allocated, end)
        s.hasWritten = true
        s.written = s.appended
        s.pending.removeAll(keepingCapacity: true)
    }

    /// Zero-fills the segment from its current size to the first multiple of the preallocation
    /// past `end` (capped at the segment limit), in one write that the coming sync covers. Space
    /// is an optimisation: when it cannot be had (a full disk), appends go on without it.
    func preallocate(_ s: inout State, covering end: UInt64) throws {
        let chunk = store.preallocation
        guard chunk > 0 else { return }
        let target = min((end / chunk + 1) * chunk, max(store.segmentLimit, end))
        guard target > end else { return }
        // From where the data will end: the data write itself fills the space before that.
        let from = max(s.allocated, end)
        let zeros = [UInt8](repeating: 0, count: Int(target - from))
        do {
            try zeros.withUnsafeBytes { try io.write(s.fd, $0, at: from) }
            s.allocated = target
        } catch {
            // Whatever part of the zeros landed is cut again; the data write decides the append.
            try io.truncate(s.fd, to: s.allocated)
        }
    }

    /// Cuts the zero-filled space after the last record (before a segment is finished or closed).
    func trimPreallocation(_ s: inout State) throws {
        guard s.allocated > s.fileLength else { return }
        try io.truncate(s.fd, to: s.fileLength)
        s.allocated = s.fileLength
    }

    /// Starts a new segment when `count` more bytes would overflow the current one. The old
    /// segment is written and synced first, so only the newest segment can ever have a torn tail.
    func rollIfNeeded(_ s: inout State, adding count: Int) throws {
        let used = s.fileLength + UInt64(s.pending.count)
        guard used + UInt64(count) > store.segmentLimit, used > UInt64(LogFormat.segmentHeaderSize) else { return }
        try flushPending(&s)
        let path = segmentPath(s.segment)
        do {
            // Only the newest segment may end in zeros (readers take them for its end).
            try trimPreallocation(&s)
            try io.sync(s.fd)
        } catch {
            let failure = StoreError.readOnly(id, reason: "syncing \(path) before starting a new segment failed (\(error))")
            throw WriteFailure(immediate: failure, fatal: failure)
        }
        s.synced = s.written
        let number = s.segment + 1
        do {
            let fd = try store.createSegment(id, number: number, previousSeq: s.lastSeq)
            s.retired.append(s.fd)
            s.fd = fd
            s.segment = number
            s.fileLength = UInt64(LogFormat.segmentHeaderSize)
            s.allocated = s.fileLength
        } catch {
            let failure = StoreError.readOnly(id, reason: "creating \(segmentPath(number)) failed (\(error))")
            throw WriteFailure(immediate: (error as? StoreError) ?? failure, fatal: failure)
        }
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

    // MARK: Background flush

    func scheduleFlush(_ s: inout State, after delay: DispatchTimeInterval = FileLogWriter.flushDelay) {
        guard !s.flushScheduled else { return }
        s.flushScheduled = true
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) { [weak self] in self?.backgroundFlush() }
    }

    func backgroundFlush() {
        let lead = state.withLock { s -> Bool in
            s.flushScheduled = false
            guard !s.closed, s.failure == nil, s.synced < s.appended else { return false }
            if s.syncing {
                // A round is running; it may have started before the buffered bytes arrived.
                scheduleFlush(&s, after: .milliseconds(5))
                return false
            }
            s.syncing = true
            return true
        }
        // A failure is recorded in the state; the next append reports it.
        if lead { try? leadSyncRoundBlocking() }
    }

    // MARK: Snapshots and closing

    /// Syncs the log, then writes the snapshot atomically with the log position it covers, then prunes.
    public func writeSnapshot(_ snapshot: StoredSnapshot) async throws {
        // The records a snapshot covers must be durable before the snapshot says so.
        try await sync()
        let known = try state.withLock { s -> LogPosition? in
            try usable(s)
            guard snapshot.seq <= s.lastSeq else {
                throw StoreError.io(path: store.relative(store.paths(id).snapshots), message: "snapshot at seq \(snapshot.seq) is past the last record (seq \(s.lastSeq))")
            }
            return snapshot.seq == s.lastSeq ? s.lastEnd : nil
        }
        let position = try known ?? store.endPosition(id, of: snapshot.seq)
        try store.storeSnapshot(id, snapshot, position: position)
    }

    /// Syncs, closes the segment and releases the lock. A second close does nothing.
    public func close() async throws {
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
