import Synchronization

/// Resumes a continuation with whichever of several racing answers comes first; later ones
/// are ignored.
final class FirstOutcome: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Bool, Never>?
        var early: Bool?
    }

    private let state = Mutex(State())

    func arm(_ continuation: CheckedContinuation<Bool, Never>) {
        let early = state.withLock { s -> Bool? in
            if let early = s.early { return early }
            s.continuation = continuation
            return nil
        }
        if let early { continuation.resume(returning: early) }
    }

    func resolve(_ value: Bool) {
        let waiting = state.withLock { s -> CheckedContinuation<Bool, Never>? in
            guard s.early == nil else { return nil }
            s.early = value
            defer { s.continuation = nil }
            return s.continuation
        }
        waiting?.resume(returning: value)
    }
}
