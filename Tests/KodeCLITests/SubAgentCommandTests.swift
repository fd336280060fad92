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
}
