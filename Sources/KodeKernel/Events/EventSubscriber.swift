import Foundation
import Synchronization

/// One subscription's buffer. The publisher appends under a short lock; the consumer takes the
/// whole buffer at once so the common case costs one lock per batch, not per event.
final class EventSubscriber: Sendable {
    private struct State {
        var buffer: [EventEnvelope] = []
        var waiter: CheckedContinuation<Void, Never>?
        /// Set when the buffer overflowed: the consumer must catch up from the store.
        var overflowed = false
        var finished = false
        var onTerminate: (@Sendable () -> Void)?
    }

    let filter: EventFilter
    let capacity: Int
    let replay: EventBus.Replay
    /// The first catch-up point: replay stored events after this seq before going live.
    let replayAfter: UInt64?
    private let state = Mutex(State())

    init(filter: EventFilter, capacity: Int, replayAfter: UInt64?, replay: @escaping EventBus.Replay) {
        self.filter = filter
        self.capacity = capacity
        self.replayAfter = replayAfter
        self.replay = replay
    }

    var onTerminate: (@Sendable () -> Void)? {
        get { state.withLock { $0.onTerminate } }
        set { state.withLock { $0.onTerminate = newValue } }
    }

    /// Called by the publisher. Never blocks beyond the lock.
    func offer(_ envelope: EventEnvelope) {
        guard filter.matches(envelope.event) else { return }
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if s.finished || s.overflowed { return nil }
            if s.buffer.count >= capacity {
                s.buffer.removeAll(keepingCapacity: false)
                s.overflowed = true
            } else {
                s.buffer.append(envelope)
            }
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume()
    }

    func finish() {
        let (waiter, terminate) = state.withLock { s -> (CheckedContinuation<Void, Never>?, (@Sendable () -> Void)?) in
            s.finished = true
            defer {
                s.waiter = nil
                s.onTerminate = nil
            }
            return (s.waiter, s.onTerminate)
        }
        waiter?.resume()
        terminate?()
    }

    enum Take {
        case batch([EventEnvelope])
        case catchUp
        case finished
    }

    /// Waits for the next batch, a catch-up request or the end.
    func take() async -> Take {
        // Before parking, yield a few times: a busy publisher usually fills the buffer meanwhile,
        // and a batch taken without parking saves the publisher a wake-up per event.
        var yields = 0
        while true {
            if Task.isCancelled {
                finish()
                return .finished
            }
            let immediate = state.withLock { s -> Take? in
                if s.overflowed {
                    s.overflowed = false
                    return .catchUp
                }
                if !s.buffer.isEmpty {
                    let batch = s.buffer
                    s.buffer.removeAll(keepingCapacity: true)
                    return .batch(batch)
                }
                if s.finished { return .finished }
                return nil
            }
            if let immediate { return immediate }
            if yields < 3 {
                yields += 1
                await Task.yield()
                continue
            }
            yields = 0
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow = state.withLock { s -> Bool in
                        if s.finished || s.overflowed || !s.buffer.isEmpty { return true }
                        s.waiter = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            } onCancel: {
                let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
                    defer { s.waiter = nil }
                    return s.waiter
                }
                waiter?.resume()
            }
        }
    }
}
