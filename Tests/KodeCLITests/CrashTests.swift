import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Crash safety", .serialized)
struct CrashTests {
    /// Two tool steps (each asks for approval, runs alongside a read-only call) and an answer.
    static let script = #"""
        {"turns":[
          {"text":"step one","tool_calls":[{"name":"bash_run","input":{"cmd":"echo s0 >> effects.txt"}},{"name":"fs_glob","input":{"pattern":"*"}}]},
          {"thinking":"next","tool_calls":[{"name":"bash_run","input":{"cmd":"echo s1 >> effects.txt"}}]},
          {"text":"finished"}]}
        """#

    @Test("killed before and after every sync, the agent resumes with every invariant intact")
    func killAtEverySync() async throws {
        var covered = Set<Breakpoint>()
        for moment in ["before", "after"] {
            var n = 1
            while n < 200 {
                let f = try CLIFixture()
                defer { f.cleanUp() }
                let script = try f.script(Self.script)
                let crashed = try await f.run(script, ["--json", "--approve", "all", "--prompt", "go"], environment: ["KODE_FAULT_KILL_AT_SYNC": "\(n):\(moment)"])
                if !crashed.killed {
                    #expect(crashed.status == 0, "\(crashed.stderr)")
                    break
                }
                let context = "killed \(moment) sync \(n)"
                let agents = try JSONValue.parse(try await KodeCLI.run(["agents", "--json", "--store", f.store]).stdout).arrayValue ?? []
                guard let id = agents.first?["id"]?.stringValue else {
                    n += 1
                    continue
                }
                let history = try await f.events(id)
                if let last = history.last(where: { $0.event.type == .breakpointChanged }), case .breakpointChanged(let b) = last.event {
                    covered.insert(b.to)
                }
                let hasInput = !(try await f.export(id)["messages"]?.arrayValue ?? []).isEmpty
                    || history.isEmpty == false && history.contains { $0.event.type == .stateChanged }
                let resumeArgs = hasInput ? ["--continue"] : ["--prompt", "go"]
                let resumed = try await KodeCLI.run(["run", "--agent", id, "--approve", "all", "--json", "--store", f.store] + resumeArgs)
                #expect(resumed.status == 0, "resume failed (\(context)): \(resumed.stderr)")
                let invariants = CrashInvariants(fixture: f, agentId: id)
                try await invariants.check(acknowledged: crashed.envelopes, context: context)
                let fork = try await KodeCLI.run(["fork", id, "--at", "latest", "--store", f.store])
                if fork.status == 0 {
                    let child = fork.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                    #expect(try await KodeCLI.run(["export", child, "--store", f.store]).status == 0, "fork does not resolve (\(context))")
                }
                n += 1
            }
            #expect(n > 5, "the scenario should sync several times")
        }
        // The crashes landed on every breakpoint a turn passes through.
        let expected: Set<Breakpoint> = [.preModel, .toolPending, .awaitingApproval, .toolExecuting, .postTool, .ready]
        #expect(expected.isSubset(of: covered), "crashes covered \(covered.map(\.rawValue).sorted())")
    }

    @Test("a kill -9 soak: effects never run twice and nothing acknowledged is lost")
    func killSoak() async throws {
        let target = Int(ProcessInfo.processInfo.environment["KODE_SOAK_KILLS"] ?? "200") ?? 200
        let steps = 24
        let turns = (0..<steps).map { #"{"text":"step \#($0)","tool_calls":[{"name":"bash_run","input":{"cmd":"echo e\#($0) >> effects.txt"}}]}"# }
        let scriptText = "{\"turns\":[\(turns.joined(separator: ",")),{\"text\":\"all done\"}],\"chunk_size\":3,\"chunk_delay_ms\":1}"
        var generator = SystemRandomNumberGenerator()
        var kills = 0
        var episodes = 0
        // Each episode is one agent killed again and again until its run completes; episodes
        // repeat until the soak has killed `target` times.
        while kills < target {
            episodes += 1
            let f = try CLIFixture()
            defer { f.cleanUp() }
            let script = try f.script(scriptText)
            var agentId: String?
            var finished = false
            while !finished {
                var args = ["run", "--json", "--permission", "auto", "--max-steps", "200", "--store", f.store, "--workdir", f.workDir, "--provider", "scripted", "--script", script]
                if let agentId {
                    let hasMessages = !(try await f.export(agentId)["messages"]?.arrayValue ?? []).isEmpty
                    args += ["--agent", agentId] + (hasMessages ? ["--continue"] : ["--prompt", "go"])
                } else {
                    args += ["--prompt", "go"]
                }
                let process = try KodeCLI.start(args)
                if kills < target {
                    try await Task.sleep(for: .milliseconds(Int.random(in: 10...150, using: &generator)))
                    process.signal(SIGKILL)
                }
                let result = try await process.finish(timeout: .seconds(120))
                if result.killed {
                    kills += 1
                } else {
                    #expect(result.status == 0, "\(result.stderr)")
                    finished = true
                }
                if agentId == nil {
                    let agents = try JSONValue.parse(try await KodeCLI.run(["agents", "--json", "--store", f.store]).stdout).arrayValue ?? []
                    agentId = agents.first?["id"]?.stringValue
                }
                if let agentId {
                    try await CrashInvariants(fixture: f, agentId: agentId).check(acknowledged: result.envelopes, context: "episode \(episodes), kill \(kills)")
                }
            }
            let id = try #require(agentId)
            let effects = (try? String(contentsOfFile: f.workDir + "/effects.txt", encoding: .utf8)) ?? ""
            let messages = try await f.export(id)["messages"]?.arrayValue ?? []
            #expect(messages.last?["content"]?.arrayValue?.first?["text"]?.stringValue == "all done", "episode \(episodes) did not finish its script")
            #expect(effects.split(separator: "\n").count <= steps)
        }
        #expect(kills >= target)
    }
}
