import Foundation
@testable import KodeHost
import KodeKernel
import KodeTestSupport
import Testing

/// A client whose connection is cut while events stream in reconnects with its bookmark and
/// sees every event once: no gap, no duplicate, whatever the cut points.
@Suite("Reconnecting without gap or duplicate")
struct ReconnectTests {
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func cutsAtRandomPointsLoseNothing(seed: UInt64) async throws {
        // A long reply in small chunks: hundreds of events to cut between.
        let text = String(repeating: "the quick brown fox jumps over the lazy dog ", count: 40)
        let host = try await InProcessHost(script: #"{"chunk_size":3,"turns":[{"text":"\#(text)"}]}"#)
        let hub = host.client()
        let agent = try await hub.create(host.config())
        let start = try await agent.status().lastSeq
        let events = try await agent.subscribe(since: Bookmark(seq: start, timestamp: Date()))
        _ = try await agent.send("talk")
        var rng = FrameDecoderFuzzTests.SplitMix(state: seed)
        var nextCut = Int.random(in: 1...40, using: &rng)
        var seen: [EventEnvelope] = []
        var cuts = 0
        for await envelope in events {
            seen.append(envelope)
            if seen.count == nextCut {
                await hub.disconnect()
                cuts += 1
                nextCut += Int.random(in: 1...80, using: &rng)
            }
            if case .done = envelope.event { break }
        }
        #expect(cuts > 0)
        // What the store holds after `start`, up to the `done` the client stopped at, is
        // exactly what the client saw.
        let last = try #require(seen.last?.seq)
        let stored = try await host.store.records(of: agent.id, after: start).prefix { $0.seq <= last }.compactMap { $0.envelope(agentId: agent.id) }
        let missing = Set(stored.map(\.seq)).subtracting(seen.map(\.seq)).sorted()
        #expect(missing.isEmpty, "missing seqs \(missing.prefix(20))")
        #expect(seen.count == stored.count, "saw \(seen.count) events, the store holds \(stored.count)")
        #expect(seen.map(\.seq) == stored.map(\.seq))
        await agent.release(.leave)
        await host.stop()
    }
}
