import Foundation
import KodeKernel
import Synchronization

/// Shared between a request's reader and its watchdog: when a byte last arrived, and whether
/// any event reached the consumer (after which retrying would duplicate output).
final class ProgressClock: Sendable {
    private struct Progress {
        var lastActivity = ContinuousClock.now
        var yieldedAnything = false
    }

    private let progress = Mutex(Progress())

    /// Records that bytes arrived now.
    func touch() {
        let now = ContinuousClock.now
        progress.withLock { $0.lastActivity = now }
    }

    /// When bytes last arrived.
    var last: ContinuousClock.Instant { progress.withLock { $0.lastActivity } }

    /// Marks that the consumer has seen output.
    func markYielded() { progress.withLock { $0.yieldedAnything = true } }

    /// Whether the consumer has seen output.
    var yielded: Bool { progress.withLock { $0.yieldedAnything } }
}

/// Fails with `ModelError(.timeout)` once no byte arrived for `idle`.
enum IdleWatchdog {
    static func watch(_ clock: ProgressClock, idle: Duration, vendor: String) async throws {
        while true {
            let deadline = clock.last + idle
            let now = ContinuousClock.now
            if now >= deadline {
                throw AttemptFailure(
                    ModelError(.timeout, "\(vendor): no data from the server for \(idle.secondsText)"), retryable: true)
            }
            try await Task.sleep(until: deadline, clock: .continuous)
        }
    }
}

extension Duration {
    /// "12s" or "0.25s": for messages.
    var secondsText: String {
        let seconds = Double(components.seconds) + Double(components.attoseconds) / 1e18
        if seconds == seconds.rounded() { return "\(Int(seconds))s" }
        return String(format: "%.2fs", seconds)
    }
}
