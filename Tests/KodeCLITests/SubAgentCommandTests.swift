import Foundation
import KodeKernel
import KodeTestSupport
import Testing

/// `task_run` in the `kode` binary: offered to agents, children listed by `kode agents` with
/// their spawn link, templates taken from the project configuration.
@Suite("Sub-agents in the CLI")
struct SubAgentCommandTests {
    @Test("kode run delegates with task_run; kode agents lists the child as a sub-agent of its parent")
    func delegateAndList() async throws {
        let f = try CLIFixture()
        try FileManager.default.createDirectory(atPath: f.workDir + "/.kode", withIntermediateDirectories: true)
        try """
            [templates.reader]
            system_prompt = "Only read."
            tools = ["fs_read", "fs_glob"]
            """.write(toFile: f.workDir + "/.kode/config.toml", atomically: true, encoding: .utf8)
        // The child plays the same script: its first turn's task_run is not among its tools, so
        // it goes on to the second turn and answers with that turn's text.
        let script = try f.script(#"{"turns":[{"tool_calls":[{"name":"task_run","input":{"task":"look around","template":"reader"}}]},{"text":"parent done"}]}"#)
        let run = try await f.run(script, ["--permission", "auto", "--prompt", "go"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("task_run COMPLETED"), "\(run.stdout)")

        let listed = try JSONValue.parse(try await KodeCLI.run(["agents", "--json", "--store", f.store]).stdout).arrayValue ?? []
        #expect(listed.count == 2)
        let parent = try #require(listed.first { $0["spawnedBy"] == nil }?["id"]?.stringValue)
        let child = try #require(listed.first { $0["spawnedBy"] != nil })
        #expect(child["spawnedBy"]?["agentId"]?.stringValue == parent)
        #expect(child["spawnedBy"]?["depth"]?.intValue == 1)
        let text = try await KodeCLI.run(["agents", "--store", f.store]).stdout
        #expect(text.contains("sub-agent of \(parent)"), "\(text)")

        let childId = try #require(child["id"]?.stringValue)
        let exported = try await f.export(childId)
        let first = exported["messages"]?.arrayValue?.first?["content"]?.arrayValue?.first?["text"]?.stringValue
        #expect(first == "look around")
        let events = try await f.events(parent)
        let started = events.compactMap { envelope -> SubAgentStartedEvent? in
            if case .subagentStarted(let e) = envelope.event { e } else { nil }
        }
        #expect(started.map(\.child) == [childId])
        #expect(started.first?.template == "reader" && started.first?.tools == ["fs_read", "fs_glob"])
        // Asked for by name, a kind with no text form is still listed (as its JSON line).
        let listed2 = try await KodeCLI.run(["events", parent, "--kinds", "subagent_started", "--store", f.store])
        #expect(listed2.status == 0 && listed2.stdout.contains("subagent_started") && listed2.stdout.contains(childId), "\(listed2.stdout)")
    }

    @Test("[agent] subagent_max_depth = 0 refuses task_run with a tool error naming the limit")
    func depthFromConfiguration() async throws {
        let f = try CLIFixture()
        try FileManager.default.createDirectory(atPath: f.workDir + "/.kode", withIntermediateDirectories: true)
        try "[agent]\nsubagent_max_depth = 0\n".write(toFile: f.workDir + "/.kode/config.toml", atomically: true, encoding: .utf8)
        let script = try f.script(#"{"turns":[{"tool_calls":[{"name":"task_run","input":{"task":"x"}}]},{"text":"parent done"}]}"#)
        let run = try await f.run(script, ["--permission", "auto", "--prompt", "go"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("task_run FAILED") && run.stdout.contains("the depth limit is 0"), "\(run.stdout)")
        let listed = try JSONValue.parse(try await KodeCLI.run(["agents", "--json", "--store", f.store]).stdout).arrayValue ?? []
        #expect(listed.count == 1, "a sub-agent was made past the limit")
    }

    /// Without a host, the pending request `kode run` names for a child (`CHILD/CALL`) is
    /// answered with `kode approve PARENT CHILD/CALL`, and `--continue` re-attaches to the child,
    /// whose approved command runs once. A command that opens the parent meanwhile must not seal its running
    /// `task_run` (it did: such commands open agents without the tool).
    @Test("kode approve PARENT CHILD/CALL answers a sub-agent's request without a host")
    func approveAChildsRequestEmbedded() async throws {
        let f = try CLIFixture()
        try FileManager.default.createDirectory(atPath: f.workDir + "/.kode", withIntermediateDirectories: true)
        try "[permissions]\nallow = [\"task_run\"]\n".write(toFile: f.workDir + "/.kode/config.toml", atomically: true, encoding: .utf8)
        // The child plays the same script: task_run is not among its tools, then its command
        // waits for approval, then it answers; the parent answers after it.
        let script = try f.script(#"""
            {"turns":[
              {"tool_calls":[{"name":"task_run","input":{"task":"mark","tools":["bash_run"]}}]},
              {"tool_calls":[{"name":"bash_run","input":{"cmd":"echo ran >> marks.txt"}}]},
              {"text":"finished"}]}
            """#)
        let first = try await f.run(script, ["--prompt", "go"])
        #expect(first.status == 3, "\(first.stderr)")
        let parent = try #require(first.agentId)
        let pending = try #require(first.stdout.split(separator: "\n").first { $0.hasPrefix("pending ") }.map { String($0.dropFirst(8)) })
        #expect(pending.contains("/"), "a child's request is named CHILD/CALL: \(pending)")
        #expect(first.stderr.contains("pending: \(pending)"), "\(first.stderr)")

        // Commands that open the parent without a model (rename here) leave its task_run running.
        let renamed = try await KodeCLI.run(["rename", parent, "waiting on the child", "--store", f.store])
        #expect(renamed.status == 0, "\(renamed.stderr)")
        let wrong = try await KodeCLI.run(["approve", parent, "agt_nobody/toolu_1_0", "--allow", "--store", f.store])
        #expect(wrong.status == 2 && wrong.stderr.contains("agt_nobody"), "\(wrong.stderr)")
        let approved = try await KodeCLI.run(["approve", parent, pending, "--allow", "--store", f.store])
        #expect(approved.status == 0, "\(approved.stderr)")

        // The parent's own command comes next and waits for approval too: the run stops there.
        let resumed = try await KodeCLI.run(["run", "--agent", parent, "--continue", "--store", f.store])
        #expect(resumed.status == 3, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("task_run COMPLETED"), "\(resumed.stdout)")
        let marks = (try? String(contentsOfFile: f.workDir + "/marks.txt", encoding: .utf8)) ?? ""
        #expect(marks == "ran\n", "the child's approved command ran once: \(marks)")
        let child = String(pending[..<pending.firstIndex(of: "/")!])
        let decided = try await f.events(child).compactMap { envelope -> PermissionDecidedEvent? in
            if case .permissionDecided(let e) = envelope.event { e } else { nil }
        }
        #expect(decided.map(\.decidedBy) == ["cli"])
        let sealed = try await f.events(parent).contains {
            if case .toolEnd(let e) = $0.event { e.name == "task_run" && e.state == .sealed } else { false }
        }
        #expect(!sealed, "the parent's task_run was sealed")
    }
}
