import Foundation
import KodeHost
import KodeKernel
import KodeTestSupport
import Testing

/// A stream faster than its clients read arrives in frames of many events (HostSession.pump
/// sends whatever the bus handed over at once): the batching must not lose, repeat or reorder one.
@Suite("Batched event frames")
struct EventBatchingTests {
    @Test func aFastStreamReachesTwoClientsWholeAndInOrder() async throws {
        let text = String(repeating: "0123456789", count: 400)
        let host = try await InProcessHost(script: "{\"turns\":[{\"text\":\"\(text)\"}],\"chunk_size\":1}")
        let first = host.client(name: "first")
        let second = host.client(name: "second")
        let a = try await first.create(host.config())
        let b = try await second.open(a.id, options: OpenOptions())
        let streamA = try await a.subscribe(since: nil)
        let streamB = try await b.subscribe(since: nil)
        _ = try await a.send("stream")
        async let seenA = collect(streamA, until: isDone)
        async let seenB = collect(streamB, until: isDone)
        let (ea, eb) = await (seenA, seenB)
        for seen in [ea, eb] {
            let chunks = seen.compactMap { e -> String? in
                if case .textChunk(let d) = e.event { return d.delta }
                return nil
            }
            #expect(chunks.count == text.count)
            #expect(chunks.joined() == text)
            let seqs = seen.map(\.seq)
            // Records that are not events (messages) take seqs too, so "no gap" is checked
            // against the store's replay below; here: rising, so no duplicate and no reorder.
            #expect(zip(seqs, seqs.dropFirst()).allSatisfy { $0 < $1 })
        }
        #expect(ea.map(\.seq) == eb.map(\.seq))
        // A late subscriber from the start replays the same events from the store.
        let replay = try await a.subscribe(since: Bookmark(seq: 0, timestamp: Date(timeIntervalSince1970: 0)))
        let replayed = await collect(replay, until: isDone)
        #expect(replayed.suffix(ea.count).map(\.seq) == ea.map(\.seq))
        await a.release(.leave)
        await b.release(.leave)
        await host.stop()
    }
}
