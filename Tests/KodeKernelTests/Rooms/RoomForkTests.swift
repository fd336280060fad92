import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Rooms: fork")
struct RoomForkTests {
    static let pingPong = #"""
        {"turns":[
          {"tool_calls":[{"name":"room_send","input":{"text":"@bob ping"}}]},
          {"text":"sent"},
          {"text":"heard back"},
          {"text":"fork explores"},
          {"text":"later"}
        ]}
        """#

    @Test("a fork mid-way keeps the room's past, does not join, and gets nothing posted later")
    func forkStaysOut() async throws {
        let h = try await RoomHarness()
        try await h.join("alice", script: Self.pingPong)
        try await h.join("bob", script: #"{"turns":[{"tool_calls":[{"name":"room_send","input":{"text":"@alice pong"}}]},{"text":"ok"},{"text":"ok again"}]}"#)
        try await h.room.post("@alice start", by: "user")
        await h.room.waitUntilQuiet()
        let fork = try await h.room.fork("alice", open: { id in try await Agent.resume(id: id, dependencies: try h.dependencies(script: Self.pingPong)) })
        #expect(fork.manifest.parent?.agentId == h.agent("alice").id)
        let inherited = await fork.snapshot().messages.filter { $0.id.hasPrefix("room:design:") }.map(\.id)
        #expect(inherited == ["room:design:1", "room:design:3"])
        #expect(await h.room.members().map(\.name) == ["alice", "bob"])

        // The fork works on its own; a later broadcast reaches alice and bob, not the fork.
        let explored = try await fork.chat("explore alone")
        #expect(explored.reason == .completed)
        #expect(await fork.snapshot().messages.last?.text == "fork explores")
        try await h.room.post("news for everyone", by: "user")
        await h.room.waitUntilQuiet()
        #expect(await h.receivedSeqs("alice") == [1, 3, 4])
        #expect(await h.receivedSeqs("bob") == [2, 4])
        #expect(await fork.snapshot().roomCursor("design") == 3)
        await fork.close()
        await h.close()
    }

    @Test("a fork that joins under a new name receives what is posted after it joined")
    func forkJoins() async throws {
        let h = try await RoomHarness()
        try await h.join("alice")
        try await h.join("bob")
        try await h.room.post("first", by: "user")
        await h.room.waitUntilQuiet()
        let fork = try await h.room.fork("alice", joiningAs: "alice2", open: { id in try await Agent.resume(id: id, dependencies: try h.dependencies(script: #"{"turns":[]}"#)) })
        #expect(await h.room.members().map(\.name) == ["alice", "bob", "alice2"])
        try await h.room.post("@alice2 explore please", as: "bob")
        try await h.room.post("all of you", by: "user")
        await h.room.waitUntilQuiet()
        let seqs = (await fork.snapshot().messages.map(\.id)).filter { $0.hasPrefix("room:design:") }
        #expect(seqs == ["room:design:1", "room:design:2", "room:design:3"])
        #expect(await fork.snapshot().roomPresence.first?.member == "alice2")
        #expect(await h.receivedSeqs("alice") == [1, 3])
        await h.room.close()
        await fork.close()
        await h.close()
    }
}
