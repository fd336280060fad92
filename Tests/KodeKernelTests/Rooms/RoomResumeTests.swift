import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Rooms: resume")
struct RoomResumeTests {
    @Test("a reopened room continues: members, seqs and logs as they were, nothing delivered twice")
    func reopen() async throws {
        let h = try await RoomHarness()
        try await h.join("alice")
        try await h.join("bob")
        try await h.room.post("one", by: "user")
        try await h.room.post("@bob two", as: "alice")
        await h.room.waitUntilQuiet()
        let delivered = try await h.reopen()
        #expect(delivered == ["alice": 0, "bob": 0])
        #expect(await h.room.members().map(\.name) == ["alice", "bob"])
        try await h.room.post("three", by: "user")
        await h.room.waitUntilQuiet()
        #expect(await h.room.messages().map(\.seq) == [1, 2, 3])
        #expect(await h.receivedSeqs("alice") == [1, 3])
        #expect(await h.receivedSeqs("bob") == [1, 2, 3])
        await h.close()
    }

    @Test("a message in the room's log that a crash kept from a receiver is delivered on reopen, once")
    func crashBeforeDelivery() async throws {
        let h = try await RoomHarness()
        let alice = try await h.join("alice")
        let bob = try await h.join("bob")
        try await h.room.post("before", by: "user")
        await h.room.waitUntilQuiet()
        await h.close()
        // The state a crash leaves right after the room's append and before any receiver's:
        // the message is in the room's log only.
        let log = try h.rooms.open("design")
        try log.append([.posted(RoomMessage(seq: 2, from: "user", to: ["bob"], text: "@bob cut off"))])
        log.close()
        // Only alice comes back first (bob's process is elsewhere): nothing is hers.
        let room = try await Room.open("design", in: h.rooms)
        let aliceAgain = try await Agent.resume(id: alice.id, dependencies: try h.dependencies(script: #"{"turns":[]}"#))
        #expect(try await room.attach(aliceAgain, as: "alice") == 0)
        await room.close()
        await aliceAgain.close()
        // Then everyone: bob receives #2, exactly once, even over a second reopen.
        #expect(try await h.reopen() == ["alice": 0, "bob": 1])
        await h.room.waitUntilQuiet()
        #expect(try await h.reopen() == ["alice": 0, "bob": 0])
        #expect(await h.receivedSeqs("bob") == [1, 2])
        #expect(await h.receivedSeqs("alice") == [1])
        #expect(bob.id == h.agent("bob").id)
        await h.close()
    }

    @Test("a message that waited for a busy member's turn survives a stop before the turn ended")
    func waitingForTurn() async throws {
        let h = try await RoomHarness()
        // Bob asks for approval, so his turn stays open: what alice sends him waits.
        var config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: h.directory.appending("work").path)
        config.permission.mode = .approval
        config.workspace.enabled = false
        let script = #"{"turns":[{"tool_calls":[{"name":"fs_write","input":{"path":"x.txt","content":"x"}}]},{"text":"done"},{"text":"read it"}]}"#
        let bob = try await Agent.create(config: config, dependencies: try h.dependencies(script: script))
        try await h.room.join("bob", agent: bob)
        try await h.join("alice")
        let asked = EventRecorder(bob, kinds: [.permissionRequired])
        try await h.room.post("@bob write x", by: "user")
        try await asked.wait(for: .permissionRequired)
        try await h.room.post("@bob and then read it", as: "alice")
        #expect(await bob.snapshot().queuedInputs.isEmpty)
        await h.room.close()
        await bob.close()
        await h.agent("alice").close()
        // Reopened, bob's log lacks #2: attaching delivers it, once.
        let room = try await Room.open("design", in: h.rooms)
        let again = try await Agent.resume(id: bob.id, dependencies: try h.dependencies(script: script))
        #expect(try await room.attach(again, as: "bob") == 1)
        await room.waitUntilQuiet()
        let state = await again.snapshot()
        let ids = (state.messages.map(\.id) + state.queuedInputs.map(\.id)).filter { $0.hasPrefix("room:") }
        #expect(ids == ["room:design:1", "room:design:2"])
        await room.close()
        await again.close()
    }

    @Test("a torn last line of the room's log is cut back; a bad line before the end refuses to open")
    func tornAndCorrupt() async throws {
        let h = try await RoomHarness()
        try await h.join("alice")
        try await h.room.post("kept", by: "user")
        await h.room.waitUntilQuiet()
        await h.close()
        let path = h.rooms.directory.appendingPathComponent("design.log").path
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("0badc0de {\"posted\":".utf8))
        try handle.close()
        let room = try await Room.open("design", in: h.rooms)
        #expect(await room.messages().map(\.text) == ["kept"])
        await room.close()
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == good)

        // Flip a byte inside the first line: corruption, not a torn tail.
        var bytes = [UInt8](good)
        bytes[12] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do {
            _ = try await Room.open("design", in: h.rooms)
            Issue.record("a corrupt room log opened")
        } catch let error as RoomError {
            #expect(error.description.contains("design.log"))
            #expect(error.description.contains("line 1 (byte offset 0) is corrupt"))
        }
    }

    @Test("one process at a time: a second open of a room is refused naming the lock")
    func locked() async throws {
        let h = try await RoomHarness()
        await #expect(throws: RoomError.self) { _ = try await Room.open("design", in: h.rooms) }
        do {
            _ = try await Room.open("design", in: h.rooms)
        } catch {
            #expect("\(error)".contains("open in another process"))
        }
        await h.close()
    }
}
