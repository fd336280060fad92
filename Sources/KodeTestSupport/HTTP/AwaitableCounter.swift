import Synchronization

/// A count that only goes up and that tasks can wait on: "three connections have closed", "the
/// client has seen the first delta". Tests wait for the event they mean with it, never for time.
public final class AwaitableCounter: Sendable {
    private struct State {
        var value = 0
        /// Tasks waiting for `value` to reach their count, by waiter id.
        var waiters: [UInt64: (count: Int, continuation: CheckedContinuation<Void, Never>)] = [:]
        var nextWaiter: UInt64 = 0
    }

    private let state = Mutex(State())

    /// A counter at zero.
    public init() {}

    /// The count so far.
    public var value: Int { state.withLock { $0.value } }

    /// Adds one and wakes every waiter whose count is now reached.
    public func increment() {
        let ready = state.withLock { state in
            state.value += 1
            let value = state.value
            let ready = state.waiters.filter { $0.value.count <= value }
            for id in ready.keys { state.waiters[id] = nil }
            return ready.values.map(\.continuation)
        }
        for continuation in ready { continuation.resume() }
    }

    /// Returns once the count is at least `count`, or as soon as the calling task is cancelled
    /// (so a test's time limit ends the wait instead of leaving it hanging).
    public func wait(atLeast count: Int) async {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    if state.value >= count || Task.isCancelled { return true }
                    state.waiters[id] = (count, continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume()
        }
    }
}
