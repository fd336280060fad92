import Foundation
import KodeTestSupport
import Testing
@testable import KodeKernel

/// When closing an agent stores a snapshot: only when replaying what was added since the newest
/// one would cost the next open more than writing the whole state again.
@Suite struct ClosingSnapshotTests {
    static func provider(_ replies: [String]) throws -> ScriptedProvider {
        let turns = replies.map { #"{"text":"\#($0)"}"# }.joined(separator: ",")
        // Whole replies in one chunk: few records for much state, so no periodic snapshot interferes.
        return ScriptedProvider(script: try ScriptedScript.parse(Data(#"{"turns":[\#(turns)],"chunk_size":100000}"#.utf8), source: "t"))
    }

    @Test func aLargeAgentOpenedToActOnceClosesWithoutRewritingItsState() async throws {
        let fixture = try TemporaryDirectory(prefix: "kode-closing-snapshot")
        let store = try FileStore(root: fixture.url.appendingPathComponent("store"))
        var config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: fixture.url.path)
        config.permission.mode = .auto
        let long = String(repeating: "a long answer ", count: 200)
        let agent = try await Agent.create(config: config, store: store, provider: try Self.provider(Array(repeating: long, count: 20)))
        for i in 0..<20 { _ = try await agent.chat("question \(i)") }
        await agent.close()
        // A new agent's first close stores its state.
        let first = try #require(try await store.history(of: agent.id).snapshot)
        #expect(try await store.history(of: agent.id).records.isEmpty)

        let resumed = try await Agent.resume(id: agent.id, store: store, provider: try Self.provider(["short"]))
        _ = try await resumed.chat("one more")
        let state = await resumed.snapshot()
        await resumed.close()
        let history = try await store.history(of: agent.id)
        #expect(history.snapshot == first, "the closing snapshot was written again for a handful of records")
        #expect(!history.records.isEmpty && history.records.count < 20)
        // Nothing is lost: the next open replays those records onto the older snapshot.
        let reopened = try await Agent.resume(id: agent.id, store: store, provider: try Self.provider([]))
        let again = await reopened.snapshot()
        await reopened.close()
        #expect(again.messages == state.messages)
        #expect(again.lastSeq > state.lastSeq)  // reopening records its own resume
    }

    @Test func replayingMoreThanAWriteCostsMeansASnapshot() {
        var scheduler = SnapshotScheduler()
        #expect(!scheduler.isWorthWritingAtClose(), "nothing new")
        scheduler.recordsSince = 3
        #expect(scheduler.isWorthWritingAtClose(), "no snapshot stored yet")
        scheduler.lastBytes = 1_000_000  // about 3 ms to write again
        #expect(!scheduler.isWorthWritingAtClose())
        scheduler.recordsSince = 1_600  // about 3.2 ms to replay
        #expect(scheduler.isWorthWritingAtClose())
        scheduler.recordsSince = 10
        scheduler.lastCost = .microseconds(15)  // a write timed in this process wins over the estimate
        #expect(scheduler.isWorthWritingAtClose())
        scheduler.recordsSince = scheduler.interval
        scheduler.lastCost = .seconds(1)
        #expect(scheduler.isWorthWritingAtClose(), "a full interval is always worth a snapshot")
    }
}
