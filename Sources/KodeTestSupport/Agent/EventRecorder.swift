import Foundation
import KodeKernel
import Synchronization

/// Collects an agent's envelopes in the background so tests can wait for and assert on them.
public final class EventRecorder: Sendable {
    private final class Storage: Sendable {
        let envelopes = Mutex<[EventEnvelope]>([])
    }

    private let storage: Storage
    private let task: Task<Void, Never>
    private let stream: AgentEventStream

    /// Starts recording `agent`'s live events (or from `since`).
    public init(_ agent: Agent, since: Bookmark? = nil, kinds: Set<EventType>? = nil) {
        let stream = agent.subscribe(since: since, kinds: kinds)
        self.stream = stream
        let storage = Storage()
        self.storage = storage
        self.task = Task {
            for await envelope in stream {
                storage.envelopes.withLock { $0.append(envelope) }
            }
        }
    }

    /// Everything recorded so far.
    public var all: [EventEnvelope] { storage.envelopes.withLock { $0 } }

    /// The event types recorded so far, in order.
    public var types: [EventType] { all.map(\.event.type) }

    /// Waits until an envelope matches, or fails after `timeout`: a bound only a hang reaches
    /// (10 s was reached by a test that was merely starved, with a build running beside the suite).
    @discardableResult
    public func wait(for timeout: Duration = .seconds(60), _ predicate: @Sendable (EventEnvelope) -> Bool) async throws -> EventEnvelope {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let found = all.first(where: predicate) { return found }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw TestTimeout(what: "no matching event within \(timeout); saw \(types.map(\.rawValue))")
    }

    /// Waits for the first event of `type`.
    @discardableResult
    public func wait(for type: EventType, timeout: Duration = .seconds(60)) async throws -> EventEnvelope {
        try await wait(for: timeout) { $0.event.type == type }
    }

    /// Stops recording.
    public func stop() {
        stream.cancel()
        task.cancel()
    }
}

/// A test waited too long.
public struct TestTimeout: Error, CustomStringConvertible {
    public var what: String
    public init(what: String) { self.what = what }
    public var description: String { what }
}
