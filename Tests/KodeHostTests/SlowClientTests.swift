import Foundation
@testable import KodeHost
import KodeKernel
import KodeTestSupport
import Testing

/// A client that stops reading must not slow the agent or the other clients.
@Suite("Slow clients")
struct SlowClientTests {
    @Test func aClientThatNeverReadsDoesNotHoldUpTheAgent() async throws {
        // About 220,000 events, some 13 MB of frames: far more than the stalled client's outbox (4 MiB)
        // and its socket buffers hold, so its pump must stop taking events while the agent goes on.
        let text = String(repeating: "a stalled reader must not stall the writer. ", count: 20_000)
        let host = try await InProcessHost(script: #"{"chunk_size":4,"turns":[{"text":"\#(text)"}]}"#)
        let hub = host.client(name: "reader")
        let agent = try await hub.create(host.config())
        // The stalled client: subscribes to everything, then never reads a byte.
        let stalled = try RawClient(socketPath: host.socketPath)
        try await stalled.hello()
        try stalled.message(#"{"type":"request","id":1,"op":"open","agent":"\#(agent.id)"}"#)
        _ = try await stalled.next()
        try stalled.message(#"{"type":"request","id":2,"op":"subscribe","handle":1,"since":0}"#)
        // The turn runs to its end and a reading client sees all of it.
        let events = try await agent.subscribe(since: nil)
        _ = try await agent.send("talk a lot")
        let seen = await collect(events, until: isDone)
        let chunks = seen.filter { if case .textChunk = $0.event { return true } else { return false } }
        #expect(chunks.count >= text.count / 4)
        #expect(try await agent.status().runtimeState == .ready)
        await agent.release(.leave)
        await host.stop()
    }
}
