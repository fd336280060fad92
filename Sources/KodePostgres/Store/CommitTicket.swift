import KodeKernel
import Synchronization

/// One append's wait for the round that commits it: resolved once by the round's leader, or
/// handed the lead first (the previous leader's own append was committed and more are queued).
final class CommitTicket: Sendable {
    /// What a waiting append is woken with.
    enum Outcome: Sendable {
        case committed(Result<Void, StoreError>)
        /// Commit the next round (which holds this append), then wait again.
        case lead
    }

    private enum State {
        case waiting(CheckedContinuation<Outcome, Never>?)
        /// Handed the lead before it waited.
        case leading
        case done(Result<Void, StoreError>)
    }
    private let state = Mutex<State>(.waiting(nil))

    func resolve(_ result: Result<Void, StoreError>) {
        wake(.committed(result))
    }

    /// Makes this append the leader of the next round.
    func handLead() {
        wake(.lead)
    }

    private func wake(_ outcome: Outcome) {
        let waiter = state.withLock { state -> CheckedContinuation<Outcome, Never>? in
            guard case .waiting(let waiter) = state else { return nil }
            switch outcome {
            case .committed(let result): state = .done(result)
            // A waiter woken to lead waits again afterwards; one not yet waiting finds the lead.
            case .lead: state = waiter == nil ? .leading : .waiting(nil)
            }
            return waiter
        }
        waiter?.resume(returning: outcome)
    }

    /// Waits for this append's commit or for the lead.
    func next() async -> Outcome {
        await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
            let ready = state.withLock { state -> Outcome? in
                switch state {
                case .done(let result): return .committed(result)
                case .leading:
                    state = .waiting(nil)
                    return .lead
                case .waiting:
                    state = .waiting(continuation)
                    return nil
                }
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
