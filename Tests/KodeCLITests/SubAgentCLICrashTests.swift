import Foundation
import KodeKernel
import KodeTestSupport
import Testing

/// The real binary killed (SIGKILL, `KODE_FAULT_KILL_AT_BREAKPOINT`) as the parent or its
/// sub-agent enters a breakpoint — the hook counts both agents' breakpoints in the order they are
/// entered — then `kode run --continue`: the parent re-attaches to the same child, both logs
/// answer every call exactly once, and no command ran twice.
@Suite("Sub-agents: crash safety of the binary", .serialized)
struct SubAgentCLICrashTests {
    /// The parent runs a command and delegates; the child plays the same script: it runs the
    /// command too, cannot call task_run (not among its tools), and answers.
    static let script = #"""
        {"turns":[
          {"tool_calls":[{"name":"bash_run","input":{"cmd":"echo ran >> marks.txt"}},{"name":"task_run","input":{"task":"do the same","tools":["bash_run"]}}]},
          {"text":"finished"}]}
        """#

    @Test("killed entering each breakpoint (of either agent), both resume and every invariant holds",
          arguments: Breakpoint.allCases.filter { $0 != .compacting })
    func killAtEveryBreakpoint(_ breakpoint: Breakpoint) async throws {
        for occurrence in breakpoint == .ready ? [1, 2] : [1, 2, 3] {
            let context = "killed entering \(breakpoint.rawValue) #\(occurrence)"
            let f = try CLIFixture()
            let script = try f.script(Self.script)
            let crashed = try await f.run(script, ["--json", "--approve", "all", "--prompt", "go"],
                                          environment: ["KODE_FAULT_KILL_AT_BREAKPOINT": "\(breakpoint.rawValue):\(occurrence)"])
            if !crashed.killed {
                #expect(crashed.status == 0, "\(crashed.stderr)")
                #expect(occurrence > 1, "the scenario never entered \(breakpoint.rawValue) (\(context))")
                continue
            }
            let listed = try JSONValue.parse(try await KodeCLI.run(["agents", "--json", "--store", f.store]).stdout).arrayValue ?? []
            guard let parent = listed.first(where: { $0["spawnedBy"] == nil })?["id"]?.stringValue else { continue }
            var resumed = try await KodeCLI.run(["run", "--agent", parent, "--approve", "all", "--json", "--continue", "--store", f.store])
            if (try await f.export(parent)["messages"]?.arrayValue ?? []).isEmpty {
                resumed = try await KodeCLI.run(["run", "--agent", parent, "--approve", "all", "--json", "--prompt", "go", "--store", f.store])
            }
            #expect(resumed.status == 0, "resume failed (\(context)): \(resumed.stderr)")
            try await CrashInvariants(fixture: f, agentId: parent).check(acknowledged: crashed.envelopes, context: context)
            let messages = try await f.export(parent)["messages"]?.arrayValue ?? []
            #expect(messages.last?["content"]?.arrayValue?.last?["text"]?.stringValue == "finished", "the parent did not finish (\(context))")

            let all = try JSONValue.parse(try await KodeCLI.run(["agents", "--json", "--store", f.store]).stdout).arrayValue ?? []
            let children = all.filter { $0["spawnedBy"]?["agentId"]?.stringValue == parent }
            #expect(children.count == 1, "\(children.count) children (\(context))")
            var starts = 0
            for agent in [parent] + children.compactMap({ $0["id"]?.stringValue }) {
                if agent != parent { try await CrashInvariants(fixture: f, agentId: agent).check(context: context + ", child") }
                let bash = try await f.events(agent).filter {
                    if case .toolStart(let e) = $0.event { e.name == "bash_run" } else { false }
                }
                #expect(bash.count <= 1, "\(agent) started its command \(bash.count) times (\(context))")
                starts += bash.count
            }
            let marks = ((try? String(contentsOfFile: f.workDir + "/marks.txt", encoding: .utf8)) ?? "").split(separator: "\n")
            #expect(marks.count <= starts, "\(marks.count) commands ran for \(starts) durable starts (\(context))")
        }
    }
}
