import Foundation
import KodeKernel

/// Shared between a request's reader and its watchdog: when a byte last arrived, and whether
/// any event reached the consumer (after which retrying would duplicate output).
final class ProgressClock: @unchecked Sendable {
    // Guarded by `lock`; @unchecked because NSLock provides the exclusion.
    private let lock = NSLock()
    private var lastActivity = ContinuousClock.now
    private var yieldedAnything = false

    /// Records that bytes arrived now.
    func touch() {
        let now = ContinuousClock.now
        lock.withLock { lastActivity = now }
    }

    /// When bytes last arrived.
    var last: ContinuousClock.Instant { lock.withLock { lastActivity } }

    /// Marks that the consumer has seen output.
    func markYielded() { lock.withLock { yieldedAnything = true } }

    /// Whether the consumer has seen output.
    var yielded: Bool { lock.withLock { yieldedAnything } }
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
