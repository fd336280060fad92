import Foundation
import Synchronization

/// Bytes waiting to be written to one peer, drained by that connection's writer thread. Bounded:
/// a producer that must not lose data (a subscription pump) waits for room, which stops it from
/// taking more events from the agent's bus; the bus then lets that subscriber fall behind and
/// catch up from the store, so a slow peer never slows the agent.
final class Outbox: Sendable {
    private struct State {
        var chunks: [[UInt8]] = []
        var bytes = 0
        var closed = false
        var writerWaiting = false
        var roomWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// Queued bytes above which producers that can wait are made to.
    let limit: Int
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Queues bytes now, whatever is queued (replies and small control messages).
    func enqueue(_ bytes: [UInt8]) {
        let signal = state.withLock { s -> Bool in
            guard !s.closed else { return false }
            s.chunks.append(bytes)
            s.bytes += bytes.count
            defer { s.writerWaiting = false }
            return s.writerWaiting
        }
        if signal { wake.signal() }
    }

    /// Waits until the queue is below its limit, then queues. Returns false once closed.
    func enqueueWhenRoom(_ bytes: [UInt8]) async -> Bool {
        while true {
            let outcome = state.withLock { s -> (queued: Bool, closed: Bool) in
                if s.closed { return (false, true) }
                return (s.bytes < limit, false)
            }
            if outcome.closed { return false }
            if outcome.queued {
                enqueue(bytes)
                return true
            }
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.closed || s.bytes < limit { return true }
                    s.roomWaiters.append(c)
                    return false
                }
                if resumeNow { c.resume() }
            }
        }
    }

    /// For the writer thread: everything queued as one buffer, blocking until there is some.
    /// `nil` once closed and drained.
    func takeAll() -> [UInt8]? {
        while true {
            let taken = state.withLock { s -> (bytes: [UInt8]?, finished: Bool) in
                if s.chunks.isEmpty {
                    if s.closed { return (nil, true) }
                    s.writerWaiting = true
                    return (nil, false)
                }
                var out: [UInt8] = []
                if s.chunks.count == 1 {
                    out = s.chunks[0]
                } else {
                    out.reserveCapacity(s.bytes)
                    for chunk in s.chunks { out.append(contentsOf: chunk) }
                }
                s.chunks.removeAll(keepingCapacity: true)
                return (out, false)
            }
            if let bytes = taken.bytes { return bytes }
            if taken.finished { return nil }
            wake.wait()
        }
    }

    /// The writer wrote `count` bytes: wake producers waiting for room.
    func wrote(_ count: Int) {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.bytes -= count
            guard s.bytes < limit else { return [] }
            defer { s.roomWaiters.removeAll() }
            return s.roomWaiters
        }
        for w in waiters { w.resume() }
    }

    /// No more bytes are accepted; the writer drains what is queued, then stops.
    func close() {
        let (signal, waiters) = state.withLock { s -> (Bool, [CheckedContinuation<Void, Never>]) in
            s.closed = true
            defer {
                s.roomWaiters.removeAll()
                s.writerWaiting = false
            }
            return (s.writerWaiting, s.roomWaiters)
        }
        if signal { wake.signal() }
        for w in waiters { w.resume() }
    }

    /// Drops what is queued (the peer is gone) and closes.
    func discard() {
        state.withLock { s in
            s.chunks.removeAll()
            s.bytes = 0
        }
        close()
    }
}
