import Foundation
import Synchronization

/// Syncs buffered records within `flushDelay` when no durable append does it first.
extension FileLogWriter {
    func scheduleFlush(_ s: inout State, after delay: DispatchTimeInterval = FileLogWriter.flushDelay) {
        guard !s.flushScheduled else { return }
        s.flushScheduled = true
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) { [weak self] in self?.backgroundFlush() }
    }

    func backgroundFlush() {
        let lead = state.withLock { s -> Bool in
            s.flushScheduled = false
            // A deferred creation's records wait for its first sync, which makes the agent reachable
            // on disk at all: syncing them alone would make nothing durable.
            guard !s.closed, s.failure == nil, !s.creationPending, s.synced < s.appended else { return false }
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
}
