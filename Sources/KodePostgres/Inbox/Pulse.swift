import Synchronization

/// A wake-up that waiters can also time out of: `wait(since:timeout:)` returns at the first
/// `signal()` after the count the waiter last saw, or after `timeout`, whichever comes first.
/// What the inbox and the record followers sleep on between polls.
final class Pulse: Sendable {
    private struct State {
        var count: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }
    private let state = Mutex(State())

    /// Signals so far: pass it to `wait` to learn of the next one.
    var count: UInt64 { state.withLock { $0.count } }

    func signal() {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.count &+= 1
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in woken { waiter.resume() }
    }

    func wait(since seen: UInt64, timeout: Duration) async {
        let id = state.withLock { state -> UInt64 in
            state.nextWaiter &+= 1
            return state.nextWaiter
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.count != seen { return true }
                state.waiters[id] = continuation
                return false
            }
            if now {
                continuation.resume()
                return
            }
            Task { [self] in
                try? await Task.sleep(for: timeout)
                let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
                waiter?.resume()
            }
        }
    }
}
