import KodeKernel

/// One failed attempt: the error the user would see and whether another attempt may help.
struct AttemptFailure: Error, Sendable {
    var error: ModelError
    var retryable: Bool
    /// The server's own advice on when to retry, if it gave any.
    var retryAfter: Duration?

    init(_ error: ModelError, retryable: Bool, retryAfter: Duration? = nil) {
        self.error = error
        self.retryable = retryable
        self.retryAfter = retryAfter
    }

    /// Failures that a later attempt may not repeat: rate limits, overload, server errors,
    /// timeouts and connection trouble. Bad keys, bad requests and malformed replies are final.
    static func isTransient(_ kind: ModelError.Kind) -> Bool {
        switch kind {
        case .rateLimited, .server, .timeout, .transport, .streamCut: return true
        case .authentication, .badRequest, .malformed: return false
        }
    }
}
