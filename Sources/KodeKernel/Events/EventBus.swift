import Foundation
import Synchronization

/// Fans envelopes out to subscribers without ever blocking the publisher.
///
/// Each subscriber has a bounded buffer. When a subscriber falls more than `capacity` events
/// behind, its buffer is dropped and the subscriber catches up from the store (every published
/// envelope is stored before it is published), then rejoins the live stream. So a slow
/// subscriber costs memory up to `capacity` envelopes and never loses or repeats an event.
public final class EventBus: Sendable {
    /// Reads stored envelopes with `seq > after`, used for replay and catch-up.
    public typealias Replay = @Sendable (_ after: UInt64) async throws -> [EventEnvelope]

    private let subscribers = Mutex<[ObjectIdentifier: EventSubscriber]>([:])
    private let replay: Replay
    /// Envelopes a subscriber may hold before it is switched to catching up from the store.
    public let capacity: Int

    public init(capacity: Int = 16_384, replay: @escaping Replay) {
        self.capacity = capacity
        self.replay = replay
    }

    /// Delivers one envelope to every matching subscriber.
    public func publish(_ envelope: EventEnvelope) {
        let current = subscribers.withLock { Array($0.values) }
        for subscriber in current { subscriber.offer(envelope) }
    }

    /// A new subscription. With `since`, stored events after it are replayed first.
    public func subscribe(filter: EventFilter, since: UInt64?) -> AgentEventStream {
        let subscriber = EventSubscriber(filter: filter, capacity: capacity, replayAfter: since, replay: replay)
        subscribers.withLock { $0[ObjectIdentifier(subscriber)] = subscriber }
        subscriber.onTerminate = { [weak self] in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: ObjectIdentifier(subscriber)) }
        }
        return AgentEventStream(subscriber: subscriber)
    }

    /// Ends every subscription (the agent closed).
    public func finishAll() {
        let current = subscribers.withLock { dict -> [EventSubscriber] in
            defer { dict.removeAll() }
            return Array(dict.values)
        }
        for subscriber in current { subscriber.finish() }
    }

    /// Number of live subscriptions (for tests and diagnostics).
    public var subscriberCount: Int { subscribers.withLock { $0.count } }
}
