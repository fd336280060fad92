/// How long to wait before starting a server again after it failed: doubling from half a second
/// up to half a minute, back to nothing after a success. A server that crashes on every start
/// then costs one attempt per 30 s, not a busy loop.
struct RestartBackoff: Sendable {
    static let first: Duration = .milliseconds(500)
    static let longest: Duration = .seconds(30)

    private(set) var failures = 0
    private(set) var notBefore: ContinuousClock.Instant?

    /// Records a failure at `now`.
    mutating func failed(at now: ContinuousClock.Instant) {
        failures += 1
        notBefore = now + delay(after: failures)
    }

    /// Records a success.
    mutating func succeeded() {
        failures = 0
        notBefore = nil
    }

    /// How long until the next attempt may start; zero when it may start now.
    func wait(from now: ContinuousClock.Instant) -> Duration {
        guard let notBefore, notBefore > now else { return .zero }
        return notBefore - now
    }

    func delay(after failures: Int) -> Duration {
        var delay = Self.first
        for _ in 1..<max(failures, 1) {
            delay *= 2
            if delay >= Self.longest { return Self.longest }
        }
        return delay
    }
}
