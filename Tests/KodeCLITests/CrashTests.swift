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

    /// Runs the scenario with a fault injected, resumes it, and checks every invariant and that
    /// the fork's child resolves. Returns false when the fault never fired.
    func crashAndResume(fault: [String: String], context: String) async throws -> Bool {
        let f = try CLIFixture()
        let round = CrashAndResume(script: Self.script, prompt: "go", options: ["--approve", "all"], finalText: "finished")
        let outcome = try await round.run(in: f, fault: fault, context: context)
        if let child = outcome.forkedChild {
            #expect(try await KodeCLI.run(["export", child, "--store", f.store]).status == 0, "fork does not resolve (\(context))")
        }
        return outcome.fired
    }

    // COMPACTING has its own scenario: CompactionCrashTests.
    @Test("killed as it enters each breakpoint, the agent resumes with every invariant intact",
          arguments: Breakpoint.allCases.filter { $0 != .compacting })
    func killAtEveryBreakpoint(_ breakpoint: Breakpoint) async throws {
        let occurrences = breakpoint == .ready ? [1] : [1, 2]
        for occurrence in occurrences {
            let fired = try await crashAndResume(
                fault: ["KODE_FAULT_KILL_AT_BREAKPOINT": "\(breakpoint.rawValue):\(occurrence)"],
                context: "killed entering \(breakpoint.rawValue) #\(occurrence)")
            #expect(fired, "the scenario never entered \(breakpoint.rawValue) #\(occurrence)")
        }
    }

    @Test("killed while a tool runs, new input instead of continue: the sealed call is answered before the input")
    func newInputAfterACutBatch() async throws {
        let f = try CLIFixture()
        let script = try f.script(#"{"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"echo ran >> effects.txt"}}]},{"text":"answered the batch"},{"text":"answered the new input"}]}"#)
        let crashed = try await f.run(script, ["--json", "--approve", "all", "--prompt", "go"], environment: ["KODE_FAULT_KILL_AT_BREAKPOINT": "TOOL_EXECUTING:1"])
        #expect(crashed.killed, "the run was meant to die in its tool: \(crashed.stderr)")
        let id = try #require(crashed.agentId)
        let resumed = try await KodeCLI.run(["run", "--agent", id, "--approve", "all", "--json", "--prompt", "new input", "--store", f.store])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let messages = try await f.export(id)["messages"]?.arrayValue ?? []
        let kinds = messages.map { message -> String in
            let block = message["content"]?.arrayValue?.first
            let type = block?["type"]?.stringValue ?? "?"
            return "\(message["role"]?.stringValue ?? "?"):\(type == "text" ? block?["text"]?.stringValue ?? "" : type)"
        }
        #expect(kinds == ["user:go", "assistant:tool_use", "user:tool_result", "assistant:answered the batch", "user:new input", "assistant:answered the new input"])
        try await CrashInvariants(fixture: f, agentId: id).check(acknowledged: crashed.envelopes, context: "new input after a cut batch")
    }

    @Test("killed before and after every sync, the agent resumes with every invariant intact",
          arguments: ["before", "after"])
    func killAtEverySync(_ moment: String) async throws {
        var n = 1
        while try await crashAndResume(fault: ["KODE_FAULT_KILL_AT_SYNC": "\(n):\(moment)"], context: "killed \(moment) sync \(n)") {
            n += 1
            if n > 200 { break }
        }
        #expect(n > 5, "the scenario should sync several times, saw \(n - 1)")
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
                    // Between kills a call may be in flight; pairing is checked once the run ends.
                    try await CrashInvariants(fixture: f, agentId: agentId).check(
                        acknowledged: result.envelopes, requireAnswered: finished, context: "episode \(episodes), kill \(kills)")
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
