import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("kode room after a crash", .serialized)
struct RoomCrashTests {
    /// The room's messages and, per member, the room seqs in its log.
    func read(_ f: CLIFixture) async throws -> (messages: [String], logs: [String: [UInt64]], openCalls: Int, failedCalls: [String: Int]) {
        let store = try FileStore(root: URL(fileURLWithPath: f.store))
        let state = try RoomState.read("r", from: FileRoomStore(directory: store.root.appendingPathComponent("rooms")))
        var logs: [String: [UInt64]] = [:]
        var open = 0
        var failed: [String: Int] = [:]
        for member in state.members {
            let agent = try AgentState.rebuild(from: try await store.history(of: member.agent))
            logs[member.name] = (agent.messages.map(\.id) + agent.queuedInputs.map(\.id))
                .filter { $0.hasPrefix("room:r:") }.compactMap { UInt64($0.dropFirst("room:r:".count)) }
            let uses = agent.messages.flatMap(\.toolUses).map(\.id)
            let results = Set(agent.messages.flatMap(\.content).compactMap { block -> String? in
                if case .toolResult(let id, _, _) = block { return id } else { return nil }
            })
            open += uses.filter { !results.contains($0) }.count
            failed[member.name] = agent.messages.flatMap(\.content).filter { block in
                if case .toolResult(_, _, true) = block { return true } else { return false }
            }.count
        }
        let messages = state.messages.map { "\($0.seq) \($0.from)>\($0.to.joined(separator: ","))" }
        return (messages, logs, open, failed)
    }

    @Test("killed right after a room_send ran, the room resumes with no message lost or repeated",
          arguments: ["TOOL_EXECUTING", "POST_TOOL", "PRE_MODEL:2"])
    func killed(at breakpoint: String) async throws {
        let f = try CLIFixture()
        _ = try await KodeCLI.run(["room", "create", "r", "--store", f.store])
        for (member, script) in [("planner", RoomCommandTests.planner), ("coder", RoomCommandTests.coder)] {
            let path = try f.script(script, name: "\(member).json")
            let joined = try await KodeCLI.run(["room", "join", "r", member, "--workdir", f.workDir, "--provider", "scripted", "--script", path, "--store", f.store])
            #expect(joined.status == 0, "\(joined.stderr)")
        }
        // The planner's breakpoint, not whichever member gets to one first: the coder's turn
        // starts inside the planner's room_send, and a kill during the coder's own room_send
        // seals it (never run again), which this scripted coder would not make up for.
        let rooms = try FileStore(root: URL(fileURLWithPath: f.store)).root.appendingPathComponent("rooms")
        let planner = try #require(try RoomState.read("r", from: FileRoomStore(directory: rooms)).members.first { $0.name == "planner" }?.agent)
        let crashed = try await KodeCLI.run(["room", "post", "r", "@planner we need a parser", "--store", f.store],
                                            environment: ["KODE_FAULT_KILL_AT_BREAKPOINT": breakpoint, "KODE_FAULT_KILL_AGENT": planner])
        #expect(crashed.killed, "the process was meant to die at \(breakpoint): \(crashed.stderr)")

        let resumed = try await KodeCLI.run(["room", "run", "r", "--store", f.store])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let after = try await read(f)
        // However far it got, the room ends with each message once: a sealed room_send is never
        // run again, and what the room held for a member reached it exactly once.
        #expect(after.logs["coder"] == [2])
        if after.messages.count == 3 || after.failedCalls["coder", default: 0] == 0 {
            #expect(after.messages == ["1 user>planner", "2 planner>coder", "3 coder>planner"])
            #expect(after.logs["planner"] == [1, 3])
        } else {
            // The kill came while the coder's own room_send ran (its turn starts inside the
            // planner's): that call was sealed, never run again, and its message was not posted;
            // the scripted coder does not send it again. Still nothing twice.
            #expect(after.messages == ["1 user>planner", "2 planner>coder"])
            #expect(after.logs["planner"] == [1])
        }
        #expect(after.openCalls == 0)
        // And a second run finds nothing to do.
        let again = try await KodeCLI.run(["room", "run", "r", "--store", f.store])
        #expect(again.stdout.isEmpty)
        #expect(try await read(f).logs == after.logs)
    }
}
