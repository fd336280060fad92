import Foundation

/// The envelopes of one subscription through the client API: an in-process agent's own stream,
/// or one fed by a host connection. Ends when the agent closes, the subscription is cancelled or
/// (remote) the host goes away for good.
public struct AgentEvents: AsyncSequence, Sendable {
    public typealias Element = EventEnvelope

    enum Source: Sendable {
        case local(AgentEventStream)
        case remote(AsyncStream<EventEnvelope>, cancel: @Sendable () -> Void)
    }

    let source: Source

    init(_ stream: AgentEventStream) { source = .local(stream) }

    /// A stream fed by something else (a socket); `cancel` stops what feeds it.
    public init(_ stream: AsyncStream<EventEnvelope>, cancel: @escaping @Sendable () -> Void) {
        source = .remote(stream, cancel: cancel)
    }

    /// Stops the subscription; a pending `next()` returns `nil`.
    public func cancel() {
        switch source {
        case .local(let stream): stream.cancel()
        case .remote(_, let cancel): cancel()
        }
    }

    public func makeAsyncIterator() -> Iterator {
        switch source {
        case .local(let stream): Iterator(local: stream.makeAsyncIterator())
        case .remote(let stream, _): Iterator(remote: stream.makeAsyncIterator())
        }
    }

    public struct Iterator: AsyncIteratorProtocol {
        var local: AgentEventStream.Iterator?
        var remote: AsyncStream<EventEnvelope>.Iterator?

        init(local: AgentEventStream.Iterator) { self.local = local }
        init(remote: AsyncStream<EventEnvelope>.Iterator) { self.remote = remote }

        public mutating func next() async -> EventEnvelope? {
            if local != nil { return await local!.next() }
            return await remote?.next()
        }
    }
}
