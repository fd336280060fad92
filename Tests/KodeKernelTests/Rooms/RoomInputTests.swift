import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Rooms: bad input")
struct RoomInputTests {
    @Test("an unknown room is named, with the rooms that exist")
    func unknownRoom() async throws {
        let h = try await RoomHarness()
        do {
            _ = try await Room.open("nope", in: h.rooms)
            Issue.record("opened a room that does not exist")
        } catch let error as RoomError {
            #expect(error == .unknownRoom("nope", available: ["design"]))
            #expect(error.description == "no room 'nope' in this store; rooms: design")
        }
        await #expect(throws: RoomError.roomExists("design")) { _ = try await Room.create("design", in: h.rooms) }
        await h.close()
    }

    @Test("mentioning or posting as someone who is not a member is refused, listing the members")
    func unknownMember() async throws {
        let h = try await RoomHarness()
        try await h.join("alice")
        try await h.join("bob")
        await #expect(throws: RoomError.unknownMember(room: "design", member: "carol", members: ["alice", "bob"])) {
            try await h.room.post("@carol are you there?", by: "user")
        }
        await #expect(throws: RoomError.unknownMember(room: "design", member: "zed", members: ["alice", "bob"])) {
            try await h.room.post("hi", as: "zed")
        }
        #expect(RoomError.unknownMember(room: "design", member: "carol", members: ["alice", "bob"]).description
            == "room 'design' has no member @carol; members: @alice, @bob")
        // Nothing was posted by the refused calls.
        #expect(await h.room.messages().isEmpty)
        // An e-mail address is not a mention; a sentence may end after a name.
        try await h.room.post("mail x@example.com, @bob-", by: "user")
        #expect(await h.room.messages().last?.to == ["bob"])
        await h.close()
    }

    @Test("names, duplicates, impersonation and empty text get clear errors")
    func otherInput() async throws {
        let h = try await RoomHarness()
        let alice = try await h.join("alice")
        await #expect(throws: RoomError.invalidName(kind: "member", name: "bad name")) { try await h.join("bad name") }
        await #expect(throws: RoomError.invalidName(kind: "room", name: "../x")) { _ = try await Room.create("../x", in: h.rooms) }
        await #expect(throws: RoomError.self) { try await h.room.join("alice", agent: alice) }
        await #expect(throws: RoomError.emptyMessage) { try await h.room.post("  \n", by: "user") }
        await #expect(throws: RoomError.senderIsMember(room: "design", sender: "alice")) { try await h.room.post("hello", by: "alice") }
        #expect(RoomError.invalidName(kind: "member", name: "a\u{1B}[31m").description.contains("\\u{1b}"))
        await h.close()
    }

    @Test("room_send outside any room is a tool error the model can read")
    func toolWithoutRoom() async throws {
        let script = #"{"turns":[{"tool_calls":[{"name":"room_send","input":{"text":"hello?"}}]},{"text":"ok"}]}"#
        var tools = ToolRegistry.builtins()
        tools.register(RoomSendTool(directory: RoomDirectory()))
        let h = try await AgentHarness.make(script: script, tools: tools)
        _ = try await h.agent.chat("try it")
        let call = try #require(await h.agent.snapshot().toolCalls.values.first { $0.name == "room_send" })
        #expect(call.state == .failed)
        #expect(call.outputPreview?.contains("is in no room") == true)
        await h.tearDown()
    }

    @Test("the header of a room message parses back; other text does not")
    func header() {
        let message = RoomMessage(seq: 7, from: "alice", to: ["bob", "carol"], text: "line one\nline two")
        let header = RoomMessageHeader(message.rendered(room: "design", for: "bob"))
        #expect(header?.seq == 7)
        #expect(header?.to == ["bob", "carol"])
        #expect(header?.body == "line one\nline two")
        #expect(RoomMessageHeader(RoomMessage(seq: 1, from: "u", to: [], text: "x").rendered(room: "r", for: "m"))?.to == [])
        #expect(RoomMessageHeader("[room but not really]\nhi") == nil)
        #expect(RoomMessageHeader("plain text") == nil)
    }
}
