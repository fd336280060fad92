import Foundation
import KodeHost
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Compaction over the socket")
struct CompactOverHostTests {
    @Test func compactRunsInTheHostAndItsRecordReachesTheClient() async throws {
        let host = try await InProcessHost(script: #"{"turns":[{"text":"first"},{"text":"second"}],"summary":"two questions, two answers"}"#)
        let hub = host.client()
        let agent = try await hub.create(host.config())
        do {
            try await agent.compact(instructions: nil)
            Issue.record("compacting an empty agent succeeded")
        } catch let ClientError.host(code, message) {
            #expect(code == "agent" && message.contains("nothing to compact"))
        }
        for text in ["one", "two"] {
            let events = try await agent.subscribe(since: nil)
            _ = try await agent.send(text)
            _ = await collect(events, until: isDone)
        }
        try await agent.compact(instructions: "keep it short")
        let state = try await agent.state()
        let compaction = try #require(state.compaction)
        #expect(compaction.summary == "two questions, two answers")
        #expect(compaction.instructions == "keep it short" && compaction.trigger == .manual)
        #expect(state.messages.count == 4)
        await agent.release(.leave)
        await host.stop()
    }
}
