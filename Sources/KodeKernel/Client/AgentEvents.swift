import Foundation

/// The envelopes of one subscription through the client API: an in-process agent's own stream,
/// or one fed by a host connection. Ends when the agent closes, the subscription is cancelled or
/// (remote) the host goes away for good.
public struct AgentEvents: AsyncSequence, Sendable {
    public typealias Element = EventEnvelope

    enum Source: Sendable {
        case local(AgentEventStream)
        case remote(AsyncStream<EventEnvelope>, cancel: @Sendable () -> Void)
        case remoteBatches(AsyncStream<[EventEnvelope]>, cancel: @Sendable () -> Void)
    }

    let source: Source

    init(_ stream: AgentEventStream) { source = .local(stream) }

    /// A stream fed by something else (a socket); `cancel` stops what feeds it.
    public init(_ stream: AsyncStream<EventEnvelope>, cancel: @escaping @Sendable () -> Void) {
        source = .remote(stream, cancel: cancel)
    }

    /// A stream fed in batches (a socket hands over a frame of events at once): one hand-over
    /// per batch instead of per event, the same envelopes in the same order to the consumer.
    package init(batches: AsyncStream<[EventEnvelope]>, cancel: @escaping @Sendable () -> Void) {
        source = .remoteBatches(batches, cancel: cancel)
    }

    /// Stops the subscription; a pending `next()` returns `nil`.
    public func cancel() {
        switch source {
        case .local(let stream): stream.cancel()
        case .remote(_, let cancel), .remoteBatches(_, let cancel): cancel()
        }
    }

    public func makeAsyncIterator() -> Iterator {
        switch source {
        case .local(let stream): Iterator(local: stream.makeAsyncIterator())
        case .remote(let stream, _): Iterator(remote: stream.makeAsyncIterator())
        case .remoteBatches(let stream, _): Iterator(batches: stream.makeAsyncIterator())
        }
    }

    public struct Iterator: AsyncIteratorProtocol {
        var local: AgentEventStream.Iterator?
        var remote: AsyncStream<EventEnvelope>.Iterator?
        var batches: AsyncStream<[EventEnvelope]>.Iterator?
        /// The batch being handed out, and where in it.
        var batch: [EventEnvelope] = []
        var index = 0

        init(local: AgentEventStream.Iterator) { self.local = local }
        init(remote: AsyncStream<EventEnvelope>.Iterator) { self.remote = remote }
        init(batches: AsyncStream<[EventEnvelope]>.Iterator) { self.batches = batches }

        public mutating func next() async -> EventEnvelope? {
            if local != nil { return await local!.next() }
            if batches != nil {
                while index == batch.count {
                    guard let more = await batches!.next() else { return nil }
                    batch = more
                    index = 0
                }
                defer { index += 1 }
                return batch[index]
            }
            return await remote?.next()
        }

        /// The next envelope and those already available after it, up to `limit`, without
        /// waiting for more; `nil` once the stream has ended. See
        /// ``AgentEventStream/Iterator/nextBatch(limit:)``.
        package mutating func nextBatch(limit: Int) async -> [EventEnvelope]? {
            if local != nil { return await local!.nextBatch(limit: limit) }
            return await next().map { [$0] }
        }
    }
}
