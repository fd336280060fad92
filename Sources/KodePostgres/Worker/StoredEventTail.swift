import Foundation
import KodeKernel

/// Events of an agent owned by another process, read from its stored records: what a client
/// attached to one worker sees of an agent another worker runs. Every published event is stored
/// first, so the records hold them all but the live-only ones (streaming chunks of a reply in
/// progress arrive with the records that complete them). A notification of new records wakes
/// it; it polls as well.
enum StoredEventTail {
    static func follow(_ id: AgentID, store: PostgresStore, wakeUps: WakeUps, filter: EventFilter, after start: UInt64,
                       pollInterval: Duration = .milliseconds(250)) -> AgentEvents {
        let (stream, sink) = AsyncStream.makeStream(of: EventEnvelope.self, bufferingPolicy: .unbounded)
        let pulse = wakeUps.records(of: id)
        let task = Task {
            var after = start
            while !Task.isCancelled {
                let seen = pulse.count
                do {
                    for record in try await store.records(of: id, after: after) {
                        after = record.seq
                        if let envelope = record.envelope(agentId: id), filter.matches(envelope.event) { sink.yield(envelope) }
                    }
                } catch StoreError.notFound {
                    break
                } catch {
                    // The database is away: try again at the next poll.
                }
                await pulse.wait(since: seen, timeout: pollInterval)
            }
            sink.finish()
        }
        sink.onTermination = { _ in task.cancel() }
        return AgentEvents(stream, cancel: { task.cancel(); sink.finish() })
    }
}
