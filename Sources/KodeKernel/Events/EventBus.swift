import Foundation
import Synchronization

/// Fans envelopes out to subscribers without ever blocking the publisher.
///
/// Each subscriber has a bounded buffer. When a subscriber falls more than `capacity` events
/// behind, its buffer is dropped and the subscriber catches up from the store (every published
/// envelope is stored before it is published), then rejoins the live stream. So a slow
/// subscriber costs memory up to `capacity` envelopes and never loses or repeats an event.
package final class EventBus: Sendable {
    /// Reads stored envelopes with `seq > after`, used for replay and catch-up.
    package typealias Replay = @Sendable (_ after: UInt64) async throws -> [EventEnvelope]

    /// Copied (a retain, no allocation) on every publish; replaced on subscribe and unsubscribe.
    private let subscribers = Mutex<[EventSubscriber]>([])
    private let replay: Replay
    /// Envelopes a subscriber may hold before it is switched to catching up from the store.
    package let capacity: Int

    package init(capacity: Int = 16_384, replay: @escaping Replay) {
        self.capacity = capacity
        self.replay = replay
    }

    /// Delivers one envelope to every matching subscriber.
    package func publish(_ envelope: EventEnvelope) {
        let current = subscribers.withLock { $0 }
        for subscriber in current { subscriber.offer(envelope) }
    }

    /// A new subscription. With `since`, stored events after it are replayed first.
    package func subscribe(filter: EventFilter, since: UInt64?) -> AgentEventStream {
        let subscriber = EventSubscriber(filter: filter, capacity: capacity, replayAfter: since, replay: replay)
        subscribers.withLock { $0.append(subscriber) }
        subscriber.onTerminate = { [weak self, weak subscriber] in
            self?.subscribers.withLock { list in list.removeAll { $0 === subscriber } }
        }
        return AgentEventStream(subscriber: subscriber)
    }

    /// Ends every subscription (the agent closed).
    package func finishAll() {
        let current = subscribers.withLock { list -> [EventSubscriber] in
            defer { list.removeAll() }
            return list
        }
        for subscriber in current { subscriber.finish() }
    }

    /// Number of live subscriptions (for tests and diagnostics).
    package var subscriberCount: Int { subscribers.withLock { $0.count } }
}
