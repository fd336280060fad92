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
            guard !s.closed, s.failure == nil, s.synced < s.appended || s.creationPending else { return false }
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
