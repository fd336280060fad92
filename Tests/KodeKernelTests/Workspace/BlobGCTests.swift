import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Workspace garbage collection")
struct BlobGCTests {
    @Test("gc removes the blobs only a removed agent used and keeps every blob a snapshot references")
    func removesUnreferenced() async throws {
        let f = try WorkspaceFixture()
        try f.write("common.txt", "shared by both agents\n")
        let keep = try await f.agent(script: #"{"turns":[{"text":"ok"}]}"#)
        _ = try await keep.chat("go")
        await keep.close()
        let other = f.root.appendingPathComponent("other")
        try f.write("common.txt", "shared by both agents\n", in: other)
        try f.write("unique.txt", "only the removed agent had this\n", in: other)
        let doomed = try await f.agent(script: #"{"turns":[{"text":"ok"}]}"#, workDir: other)
        _ = try await doomed.chat("go")
        await doomed.close()
        let unique = try #require(try await f.latestTree(of: doomed.id)?.byPath["unique.txt"]).hash
        let blobs = BlobStore(storeRoot: f.store.root)
        #expect(blobs.contains(unique))
        try await f.store.delete(doomed.id)

        // Inside the grace period nothing unreferenced goes.
        let early = try await BlobCollector(store: f.store).collect()
        #expect(early.removed == 0 && early.tooNew > 0)
        let report = try await BlobCollector(store: f.store, grace: .zero).collect()
        #expect(report.removed >= 2)  // unique.txt and the removed agent's root tree
        #expect(!blobs.contains(unique))
        let kept = try #require(try await f.latestTree(of: keep.id))
        for hash in kept.blobHashes { #expect(blobs.contains(hash)) }
    }

    @Test("gc while an agent keeps changing files never removes a blob its snapshots need")
    func whileAgentsRun() async throws {
        let f = try WorkspaceFixture()
        let steps = 30
        let turns = (0..<steps).map { #"{"text":"s\#($0)","tool_calls":[{"name":"fs_write","input":{"path":"f\#($0 % 3).txt","content":"step \#($0)\n"}}]}"# }
        let agent = try await f.agent(script: "{\"turns\":[\(turns.joined(separator: ",")),{\"text\":\"end\"}]}")
        // Garbage from an agent removed before the run, so the collector has work to do.
        let gone = f.root.appendingPathComponent("gone")
        try f.write("g.txt", "garbage\n", in: gone)
        let doomed = try await f.agent(script: #"{"turns":[{"text":"ok"}]}"#, workDir: gone)
        _ = try await doomed.chat("go")
        await doomed.close()
        try await f.store.delete(doomed.id)

        let collector = BlobCollector(store: f.store, grace: .zero)
        let recorder = EventRecorder(agent)
        try await agent.send("go")
        var removed = 0
        var collections = 0
        // Collect again and again until the turn ends.
        while !recorder.all.contains(where: { $0.event.type == .done }) {
            removed += try await collector.collect().removed
            collections += 1
            await Task.yield()
        }
        await agent.waitUntilIdle()
        _ = try await collector.collect()
        #expect(collections >= 1)
        #expect(removed >= 1)
        let blobs = BlobStore(storeRoot: f.store.root)
        for snapshot in try await f.snapshots(of: agent.id) {
            let tree = try WorkspaceTree.load(snapshot.tree, from: blobs)
            for hash in tree.blobHashes { #expect(blobs.contains(hash), "snapshot \(snapshot.tree) lost blob \(hash)") }
        }
        // And the newest snapshot still rewinds.
        let first = try #require(await agent.checkpoints().first)
        _ = try await agent.rewind(to: first.id)
        await agent.close()
    }
}
