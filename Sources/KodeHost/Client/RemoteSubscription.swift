import Foundation
import KodeKernel
import Synchronization

/// Keeps one subscription alive across dropped connections: after a drop it reconnects, reopens
/// the agent and subscribes again from the last seq it delivered. Events at or below that seq
/// are never delivered twice, and none after it is skipped, since the host replays stored events
/// after `since` before going live.
enum RemoteSubscription {
    /// How often to try a lost host again before the stream ends; a host handing over or
    /// restarting comes back well within this.
    static let reconnectAttempts = 50

    /// What the loop shares with the reader thread and with `cancel`.
    final class Shared: Sendable {
        let continuation: AsyncStream<[EventEnvelope]>.Continuation
        let delivered: Mutex<UInt64?>
        let current = Mutex<(client: HostClient, sub: UInt32)?>(nil)

        init(continuation: AsyncStream<[EventEnvelope]>.Continuation, since: UInt64?) {
            self.continuation = continuation
            self.delivered = Mutex(since)
        }

        /// One frame's envelopes, minus any already delivered, handed over as one batch: one lock
        /// and one stream hand-over per frame, not per event.
        func deliver(_ envelopes: [EventEnvelope]) {
            let fresh = delivered.withLock { last -> [EventEnvelope] in
                var fresh: [EventEnvelope] = []
                fresh.reserveCapacity(envelopes.count)
                for envelope in envelopes {
                    if let l = last, envelope.seq <= l { continue }
                    last = envelope.seq
                    fresh.append(envelope)
                }
                return fresh
            }
            if !fresh.isEmpty { continuation.yield(fresh) }
        }

        func stop() {
            if let (client, sub) = current.withLock({ $0 }) { client.unsubscribe(sub) }
        }
    }

    /// Subscribes once (so events after this call are not missed), then keeps the
    /// subscription alive in the background.
    static func start(handle: RemoteAgentHandle, channels: Set<EventChannel>, since: UInt64?, kinds: Set<EventType>?) async throws -> AgentEvents {
        let (stream, continuation) = AsyncStream.makeStream(of: [EventEnvelope].self, bufferingPolicy: .unbounded)
        let shared = Shared(continuation: continuation, since: since)
        let first = try await subscribeOnce(handle: handle, channels: channels, kinds: kinds, shared: shared)
        let task = Task {
            var ended = first
            var failures = 0
            while !Task.isCancelled {
                let end = await ended.first { _ in true } ?? .ended("cancelled")
                shared.current.withLock { $0 = nil }
                guard case .disconnected = end, !Task.isCancelled else { break }
                var resumed: AsyncStream<HostClient.SubscriptionEnd>?
                while resumed == nil, !Task.isCancelled, failures <= reconnectAttempts {
                    do {
                        resumed = try await subscribeOnce(handle: handle, channels: channels, kinds: kinds, shared: shared)
                        failures = 0
                    } catch {
                        failures += 1
                        // Back off a little between attempts: the host may be restarting.
                        try? await Task.sleep(for: .milliseconds(min(20 * failures, 500)))
                    }
                }
                guard let resumed else { break }
                ended = resumed
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in
            task.cancel()
            shared.stop()
        }
        return AgentEvents(batches: stream) {
            task.cancel()
            shared.stop()
            continuation.finish()
        }
    }

    /// One subscription on the current connection; returns the stream that says when it ended.
    private static func subscribeOnce(
        handle: RemoteAgentHandle, channels: Set<EventChannel>, kinds: Set<EventType>?, shared: Shared
    ) async throws -> AsyncStream<HostClient.SubscriptionEnd> {
        let (client, number) = try await handle.bound()
        let (ended, endSink) = AsyncStream.makeStream(of: HostClient.SubscriptionEnd.self, bufferingPolicy: .bufferingNewest(1))
        let args = SubscribeArgs(
            handle: number, channels: channels.sorted { $0.rawValue < $1.rawValue },
            since: shared.delivered.withLock { $0 }, kinds: kinds?.sorted { $0.rawValue < $1.rawValue })
        let result = try await client.subscribe(
            args, agentId: handle.id,
            deliver: { shared.deliver($0) },
            ended: { endSink.yield($0); endSink.finish() })
        shared.delivered.withLock { last in if last == nil { last = result.since } }
        shared.current.withLock { $0 = (client, result.sub) }
        return ended
    }
}
