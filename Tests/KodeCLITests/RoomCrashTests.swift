import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("kode room after a crash", .serialized)
struct RoomCrashTests {
    /// The room's messages and, per member, the room seqs in its log.
    func read(_ f: CLIFixture) async throws -> (messages: [String], logs: [String: [UInt64]], openCalls: Int) {
        let store = try FileStore(root: URL(fileURLWithPath: f.store))
        let state = try RoomState.read("r", from: FileRoomStore(directory: store.root.appendingPathComponent("rooms")))
        var logs: [String: [UInt64]] = [:]
        var open = 0
        for member in state.members {
            let agent = try AgentState.rebuild(from: try await store.history(of: member.agent))
            logs[member.name] = (agent.messages.map(\.id) + agent.queuedInputs.map(\.id))
                .filter { $0.hasPrefix("room:r:") }.compactMap { UInt64($0.dropFirst("room:r:".count)) }
            let uses = agent.messages.flatMap(\.toolUses).map(\.id)
            let results = Set(agent.messages.flatMap(\.content).compactMap { block -> String? in
                if case .toolResult(let id, _, _) = block { return id } else { return nil }
            })
            open += uses.filter { !results.contains($0) }.count
        }
        let messages = state.messages.map { "\($0.seq) \($0.from)>\($0.to.joined(separator: ","))" }
        return (messages, logs, open)
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
        let crashed = try await KodeCLI.run(["room", "post", "r", "@planner we need a parser", "--store", f.store],
                                            environment: ["KODE_FAULT_KILL_AT_BREAKPOINT": breakpoint])
        #expect(crashed.killed, "the process was meant to die at \(breakpoint): \(crashed.stderr)")

        let resumed = try await KodeCLI.run(["room", "run", "r", "--store", f.store])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let after = try await read(f)
        // However far it got, the room ends with each message once: a sealed room_send is never
        // run again, and what the room held for a member reached it exactly once.
        #expect(after.messages == ["1 user>planner", "2 planner>coder", "3 coder>planner"])
        #expect(after.logs["planner"] == [1, 3])
        #expect(after.logs["coder"] == [2])
        #expect(after.openCalls == 0)
        // And a second run finds nothing to do.
        let again = try await KodeCLI.run(["room", "run", "r", "--store", f.store])
        #expect(again.stdout.isEmpty)
        #expect(try await read(f).logs == after.logs)
    }
}
