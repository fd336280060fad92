import KodeKernel
import Synchronization

/// One append's wait for the round that commits it: resolved once by the round's leader.
final class CommitTicket: Sendable {
    private enum State {
        case waiting(CheckedContinuation<Void, any Error>?)
        case done(Result<Void, StoreError>)
    }
    private let state = Mutex<State>(.waiting(nil))

    func resolve(_ result: Result<Void, StoreError>) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            guard case .waiting(let waiter) = state else { return nil }
            state = .done(result)
            return waiter
        }
        waiter?.resume(with: result.mapError { $0 as any Error })
    }

    func wait() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let done = state.withLock { state -> Result<Void, StoreError>? in
                switch state {
                case .done(let result): return result
                case .waiting:
                    state = .waiting(continuation)
                    return nil
                }
            }
            if let done { continuation.resume(with: done.mapError { $0 as any Error }) }
        }
    }
}
