/// How a provider reacts to failures: retries, backoff and the idle-read timeout.
///
/// Retries happen only before the first normalized event reached the consumer, so a retried
/// request never duplicates output the user already saw.
public struct FaultPolicy: Sendable, Hashable {
    /// Total attempts including the first (so 4 means up to 3 retries).
    public var maxAttempts: Int
    /// The first backoff ceiling; each retry doubles it ("full jitter": the wait is random in 0...ceiling).
    public var baseDelay: Duration
    /// The largest backoff ceiling.
    public var maxDelay: Duration
    /// The longest `retry-after` the provider waits; a longer one fails at once with that advice.
    public var maxRetryAfter: Duration
    /// No byte for this long (before the response head or between body chunks) fails with
    /// `ModelError(.timeout)`. Generous by default: reasoning models may think for minutes
    /// before their first byte, while Anthropic's pings keep a healthy stream well inside it.
    public var idleTimeout: Duration

    /// Defaults suited to interactive use.
    public init(
        maxAttempts: Int = 4,
        baseDelay: Duration = .milliseconds(500),
        maxDelay: Duration = .seconds(20),
        maxRetryAfter: Duration = .seconds(60),
        idleTimeout: Duration = .seconds(180)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.idleTimeout = idleTimeout
    }

    /// The backoff before attempt `attempt + 1`, given that `attempt` (1-based) just failed:
    /// uniformly random between zero and `min(maxDelay, baseDelay * 2^(attempt-1))`.
    public func backoff(afterAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(maxDelay, baseDelay * (1 << exponent))
        let seconds = Double(ceiling.components.seconds) + Double(ceiling.components.attoseconds) / 1e18
        return .nanoseconds(Int64(Double.random(in: 0...max(seconds, 0)) * 1e9))
    }
}
