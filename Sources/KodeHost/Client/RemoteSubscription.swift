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

    static func start(handle: RemoteAgentHandle, channels: Set<EventChannel>, since: UInt64?, kinds: Set<EventType>?) -> AgentEvents {
        let (stream, continuation) = AsyncStream.makeStream(of: EventEnvelope.self, bufferingPolicy: .unbounded)
        let delivered = Mutex<UInt64?>(since)
        let current = Mutex<(client: HostClient, sub: UInt32)?>(nil)
        let task = Task {
            var failures = 0
            while !Task.isCancelled {
                let end: HostClient.SubscriptionEnd
                do {
                    let (client, number) = try await handle.bound()
                    let (ended, endSink) = AsyncStream.makeStream(of: HostClient.SubscriptionEnd.self, bufferingPolicy: .bufferingNewest(1))
                    let args = SubscribeArgs(
                        handle: number, channels: channels.sorted { $0.rawValue < $1.rawValue },
                        since: delivered.withLock { $0 }, kinds: kinds?.sorted { $0.rawValue < $1.rawValue })
                    let result = try await client.subscribe(
                        args, agentId: handle.id,
                        deliver: { envelopes in
                            for envelope in envelopes {
                                let fresh = delivered.withLock { last -> Bool in
                                    if let l = last, envelope.seq <= l { return false }
                                    last = envelope.seq
                                    return true
                                }
                                if fresh { continuation.yield(envelope) }
                            }
                        },
                        ended: { endSink.yield($0); endSink.finish() })
                    delivered.withLock { last in if last == nil { last = result.since } }
                    current.withLock { $0 = (client, result.sub) }
                    failures = 0
                    var iterator = ended.makeAsyncIterator()
                    end = await iterator.next() ?? .ended("cancelled")
                } catch {
                    end = .disconnected("\(error)")
                }
                current.withLock { $0 = nil }
                guard case .disconnected = end, !Task.isCancelled else { break }
                failures += 1
                if failures > reconnectAttempts { break }
                // Back off a little between attempts: the host may be restarting.
                try? await Task.sleep(for: .milliseconds(min(20 * failures, 500)))
            }
            continuation.finish()
        }
        let cancel: @Sendable () -> Void = {
            task.cancel()
            if let (client, sub) = current.withLock({ $0 }) { client.unsubscribe(sub) }
            continuation.finish()
        }
        continuation.onTermination = { _ in
            task.cancel()
            if let (client, sub) = current.withLock({ $0 }) { client.unsubscribe(sub) }
        }
        return AgentEvents(stream, cancel: cancel)
    }
}
