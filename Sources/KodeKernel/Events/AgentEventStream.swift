import Foundation

/// The envelopes of one subscription, as an `AsyncSequence`: stored events after the `since`
/// bookmark first, then live ones, with no gap and no duplicate. Ends when the agent closes or
/// the consuming task is cancelled.
public struct AgentEventStream: AsyncSequence, Sendable {
    public typealias Element = EventEnvelope

    let subscriber: EventSubscriber

    public func makeAsyncIterator() -> Iterator {
        Iterator(subscriber: subscriber)
    }

    /// Stops the subscription; a pending `next()` returns `nil`.
    public func cancel() {
        subscriber.finish()
    }

    public struct Iterator: AsyncIteratorProtocol {
        let subscriber: EventSubscriber
        private var pending: [EventEnvelope] = []
        private var index = 0
        /// Highest seq delivered; anything at or below it is a duplicate.
        private var delivered: UInt64
        private var needsReplay: Bool
        private var done = false

        init(subscriber: EventSubscriber) {
            self.subscriber = subscriber
            self.delivered = subscriber.replayAfter ?? 0
            self.needsReplay = subscriber.replayAfter != nil
        }

        public mutating func next() async -> EventEnvelope? {
            while !done {
                if let envelope = popPending() { return envelope }
                pending.removeAll(keepingCapacity: true)
                index = 0
                if needsReplay {
                    needsReplay = false
                    await loadStored()
                    continue
                }
                switch await subscriber.take() {
                case .batch(let batch):
                    pending = batch
                case .catchUp:
                    await loadStored()
                case .finished:
                    done = true
                }
            }
            return nil
        }

        /// The next envelope and, after it, those already handed over with it (up to `limit` in
        /// all), without waiting for more: a consumer that forwards events (a host writing them
        /// to a socket) pays its per-send cost once per batch. The same envelopes, in the same
        /// order, as calls to ``next()``; `nil` when the stream has ended.
        package mutating func nextBatch(limit: Int) async -> [EventEnvelope]? {
            guard let first = await next() else { return nil }
            var batch = [first]
            while batch.count < limit, let envelope = popPending() { batch.append(envelope) }
            return batch
        }

        /// The next envelope already handed over that is not a duplicate, if any.
        private mutating func popPending() -> EventEnvelope? {
            while index < pending.count {
                let envelope = pending[index]
                index += 1
                if envelope.seq > delivered {
                    delivered = envelope.seq
                    return envelope
                }
                // Never stored, so never a duplicate; it leaves the replay position alone.
                if envelope.seq == EventEnvelope.liveOnlySeq { return envelope }
            }
            return nil
        }

        /// Reads what the store holds after the last delivered seq. If the store cannot be
        /// read the subscription ends rather than silently skipping events.
        private mutating func loadStored() async {
            do {
                let stored = try await subscriber.replay(delivered)
                pending = stored.filter { subscriber.filter.matches($0.event) }
            } catch {
                pending = []
                done = true
                subscriber.finish()
            }
            index = 0
        }
    }
}
