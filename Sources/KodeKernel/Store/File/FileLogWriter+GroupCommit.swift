import Foundation
import Synchronization

/// Group commit: one leader writes and syncs everything queued while the others wait for the
/// round that covers them (see `FileLogWriter`).
extension FileLogWriter {
    /// What a waiting appender is told when its turn comes: covered by a round, or lead the next.
    enum Turn { case done, lead }

    struct Waiter {
        var lsn: UInt64
        var continuation: CheckedContinuation<Turn, any Error>
    }

    /// Returns once everything up to `lsn` is synced, leading sync rounds when it is this task's turn.
    func waitUntilSynced(_ lsn: UInt64) async throws {
        let turn = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Turn, any Error>) in
            let now: Result<Turn, any Error>? = state.withLock { s in
                if s.synced >= lsn && !s.creationPending { return .success(.done) }
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
        let round = try prepareRound()
        do {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                syncQueue.async { continuation.resume(with: Result { try self.syncRound(round) }) }
            }
        } catch {
            throw syncFailed(error, segment: round.segment)
        }
        completeRound(round)
    }

    /// `leadSyncRound` for the background flush, which already runs off the cooperative pool.
    func leadSyncRoundBlocking() throws {
        let round = try prepareRound()
        do {
            try syncRound(round)
        } catch {
            throw syncFailed(error, segment: round.segment)
        }
        completeRound(round)
    }

    /// What one round syncs: the newest segment up to `target`, and the agent's creation with it
    /// while that is pending.
    struct Round {
        var fd: Int32
        var target: UInt64
        var segment: UInt32
        var creation: Bool
    }

    func prepareRound() throws -> Round {
        do {
            return try state.withLock { s in
                if let failure = s.failure { throw WriteFailure(immediate: failure, fatal: failure) }
                try flushPending(&s)
                return Round(fd: s.fd, target: s.written, segment: s.segment, creation: s.creationPending)
            }
        } catch let error as WriteFailure {
            fail(error.fatal)
            throw error.immediate
        }
    }

    func syncRound(_ round: Round) throws {
        if round.creation {
            try store.syncCreation(of: id, segment: round.fd)
        } else {
            try io.sync(round.fd)
        }
    }

    func syncFailed(_ error: any Error, segment: UInt32) -> StoreError {
        let failure = StoreError.readOnly(id, reason: "syncing \(segmentPath(segment)) failed (\(error)); records after the last successful sync may be lost, so the log is no longer written")
        fail(failure)
        return failure
    }

    func completeRound(_ round: Round) {
        var released: [Waiter] = []
        var next: Waiter? = nil
        state.withLock { s in
            s.synced = max(s.synced, round.target)
            if round.creation { s.creationPending = false }
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
}
