import Synchronization

/// The first error reported by operations running at the same time (the others are dropped:
/// one failure is enough to fail the whole).
final class FirstError: Sendable {
    private let error = Mutex<(any Error)?>(nil)

    func record(_ error: any Error) {
        self.error.withLock { if $0 == nil { $0 = error } }
    }

    /// Throws the first recorded error, if any.
    func rethrow() throws {
        if let error = error.withLock({ $0 }) { throw error }
    }
}
