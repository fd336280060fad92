import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Rooms: delivery")
struct RoomDeliveryTests {
    @Test("a broadcast reaches every member but its sender; a mention only those mentioned")
    func broadcastAndMention() async throws {
        let h = try await RoomHarness()
        for member in ["alice", "bob", "carol"] { try await h.join(member) }
        try await h.room.post("hello everyone", by: "user")
        try await h.room.post("@bob just you", by: "user")
        try await h.room.post("@carol and @bob, from alice", as: "alice")
        try await h.room.post("to the others", as: "bob")
        await h.room.waitUntilQuiet()
        #expect(await h.receivedSeqs("alice") == [1, 4])
        #expect(await h.receivedSeqs("bob") == [1, 2, 3])
        #expect(await h.receivedSeqs("carol") == [1, 3, 4])
        let messages = await h.room.messages()
        #expect(messages.map(\.to) == [[], ["bob"], ["carol", "bob"], []])
        #expect(messages.map(\.from) == ["user", "user", "alice", "bob"])
        await h.close()
    }

    @Test("each receiver's log holds the message as a user message with the sender and its own name")
    func attribution() async throws {
        let h = try await RoomHarness()
        try await h.join("alice")
        try await h.join("bob")
        try await h.room.post("@bob can you review?", as: "alice")
        await h.room.waitUntilQuiet()
        let state = await h.agent("bob").snapshot()
        let message = try #require(state.messages.first { $0.id == "room:design:1" })
        #expect(message.role == .user)
        let header = try #require(RoomMessageHeader(message.text))
        #expect(header.room == "design")
        #expect(header.seq == 1)
        #expect(header.from == "alice")
        #expect(header.to == ["bob"])
        #expect(header.member == "bob")
        #expect(header.body == "@bob can you review?")
        #expect(state.roomPresence == [RoomPresence(room: "design", member: "bob", lastSeq: 1)])
        // Its fork point is named by who said what, not by the header line the model reads.
        let point = try #require(state.checkpoints.first { $0.seq > 0 && $0.preview.contains("review") })
        #expect(point.preview == "@alice: @bob can you review?", "\(point.preview)")
        // The sender's log does not get its own message.
        #expect(await h.receivedSeqs("alice").isEmpty)
        await h.close()
    }

    @Test("members talk through room_send in their turns until the room is quiet")
    func conversation() async throws {
        let h = try await RoomHarness()
        try await h.join("alice", script: #"""
            {"turns":[
              {"tool_calls":[{"name":"room_send","input":{"text":"@bob ping"}}]},
              {"text":"sent"},
              {"text":"bob answered"}
            ]}
            """#)
        try await h.join("bob", script: #"""
            {"turns":[
              {"tool_calls":[{"name":"room_send","input":{"text":"@alice pong"}}]},
              {"text":"answered"}
            ]}
            """#)
        try await h.room.post("@alice start", by: "user")
        await h.room.waitUntilQuiet()
        let messages = await h.room.messages()
        #expect(messages.map { "\($0.seq) \($0.from)>\($0.to.joined(separator: ","))" } == ["1 user>alice", "2 alice>bob", "3 bob>alice"])
        #expect(await h.receivedSeqs("alice") == [1, 3])
        #expect(await h.receivedSeqs("bob") == [2])
        let alice = await h.agent("alice").snapshot()
        #expect(alice.messages.last?.text == "bob answered")
        // The tool result tells the model where its message went.
        let result = alice.toolCalls.values.first { $0.name == "room_send" }
        #expect(result?.outputPreview?.contains("posted #2 to room design for @bob") == true)
        await h.close()
    }

    @Test("concurrent posts get dense seqs and reach every receiver in seq order")
    func ordering() async throws {
        let h = try await RoomHarness()
        let members = ["m0", "m1", "m2", "m3"]
        for member in members { try await h.join(member) }
        let room = h.room
        try await withThrowingTaskGroup(of: Void.self) { group in
            for sender in members {
                group.addTask {
                    for i in 0..<25 {
                        // Half broadcast, half to the next member.
                        let next = members[(members.firstIndex(of: sender)! + 1) % members.count]
                        try await room.post(i % 2 == 0 ? "broadcast \(i)" : "@\(next) direct \(i)", as: sender)
                    }
                }
            }
            try await group.waitForAll()
        }
        await room.waitUntilQuiet()
        let messages = await room.messages()
        #expect(messages.map(\.seq) == Array(1...100))
        for member in members {
            let expected = messages.filter { $0.isDelivered(to: member) }.map(\.seq)
            #expect(await h.receivedSeqs(member) == expected, "member \(member)")
        }
        await h.close()
    }

    @Test("a batch is posted in order with one seq each")
    func batch() async throws {
        let h = try await RoomHarness()
        try await h.join("a")
        try await h.join("b")
        let posted = try await h.room.post([("@b one", "a"), ("two", "user"), ("@a three", "b")])
        #expect(posted.map(\.seq) == [1, 2, 3])
        await h.room.waitUntilQuiet()
        #expect(await h.receivedSeqs("a") == [2, 3])
        #expect(await h.receivedSeqs("b") == [1, 2])
        await h.close()
    }
}
