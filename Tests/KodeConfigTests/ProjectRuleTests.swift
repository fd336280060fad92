import Foundation
import KodeConfig
import KodeKernel
import KodeTestSupport
import Testing

@Suite("project rules: .kode/config.toml and rule scopes")
struct ProjectRuleTests {
    static func configText(_ work: TemporaryDirectory) throws -> String {
        try String(contentsOfFile: work.path + "/.kode/config.toml", encoding: .utf8)
    }

    @Test("a rule joins the array of [permissions], keeping the person's comments and other tables")
    func addsToAnExistingArray() throws {
        let files = try ConfigFiles(project: """
            # the team's settings
            [permissions]
            # reads are fine
            allow = [
              "fs_read",   # always
              "bash_run(ls*)",
            ]
            deny = ["bash_run(rm -rf *)"]

            [sandbox]
            network = true
            """)
        let writer = ProjectRuleFile(environment: files.environment)
        let location = try writer.add(pattern: "bash_run(git status*)", decision: .allow, workDir: files.work.path)
        #expect(location == files.work.path + "/.kode/config.toml:4")
        let text = try Self.configText(files.work)
        #expect(text.contains("# the team's settings\n[permissions]\n# reads are fine\nallow = [\"fs_read\", \"bash_run(ls*)\", \"bash_run(git status*)\"]\ndeny = [\"bash_run(rm -rf *)\"]\n"), "\(text)")
        #expect(text.contains("[sandbox]\nnetwork = true\n"))
        let settings = try files.load()
        #expect(settings["permissions", "allow"]?.value.strings == ["fs_read", "bash_run(ls*)", "bash_run(git status*)"])
        // Adding it again changes nothing; a deny goes to deny; removing takes it out again.
        _ = try writer.add(pattern: "bash_run(git status*)", decision: .allow, workDir: files.work.path)
        #expect(try Self.configText(files.work) == text)
        _ = try writer.add(pattern: "fs_write(\"q\"\\*)", decision: .deny, workDir: files.work.path)
        #expect(try files.load()["permissions", "deny"]?.value.strings == ["bash_run(rm -rf *)", "fs_write(\"q\"\\*)"])
        #expect(try writer.remove(pattern: "bash_run(git status*)", decision: .allow, workDir: files.work.path))
        #expect(try !writer.remove(pattern: "bash_run(git status*)", decision: .allow, workDir: files.work.path))
        #expect(try files.load()["permissions", "allow"]?.value.strings == ["fs_read", "bash_run(ls*)"])
    }

    @Test("with no file, no table or no key, the rule is added where a person would write it")
    func createsWhatIsMissing() throws {
        let none = try ConfigFiles()
        let writer = ProjectRuleFile(environment: none.environment)
        #expect(try writer.add(pattern: "fs_write(docs/**)", decision: .allow, workDir: none.work.path).hasSuffix(".kode/config.toml:2"))
        #expect(try Self.configText(none.work) == "[permissions]\nallow = [\"fs_write(docs/**)\"]\n")

        let noTable = try ConfigFiles(project: "[app]\ntheme = \"light\"\n")
        _ = try writer.add(pattern: "bash_run(make*)", decision: .deny, workDir: noTable.work.path)
        #expect(try Self.configText(noTable.work) == "[app]\ntheme = \"light\"\n\n[permissions]\ndeny = [\"bash_run(make*)\"]\n")

        let noKey = try ConfigFiles(project: "[permissions]\nmode = \"auto\"\n")
        _ = try writer.add(pattern: "fs_read", decision: .allow, workDir: noKey.work.path)
        #expect(try Self.configText(noKey.work) == "[permissions]\nallow = [\"fs_read\"]\nmode = \"auto\"\n")
    }

    @Test("a file Kode cannot read is not touched")
    func refusesABrokenFile() throws {
        let files = try ConfigFiles(project: "[permissions]\nallow = 3\n")
        #expect(throws: ConfigError.self) {
            try ProjectRuleFile(environment: files.environment).add(pattern: "fs_read", decision: .allow, workDir: files.work.path)
        }
        #expect(try Self.configText(files.work) == "[permissions]\nallow = 3\n")
    }

    static let script = """
        {"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"git status --short"}}]},{"text":"one"},
                  {"tool_calls":[{"name":"bash_run","input":{"cmd":"git status"}}]},{"text":"two"}]}
        """

    static func open(_ id: AgentID?, store: FileStore, work: TemporaryDirectory, environment: [String: String]) async throws -> Agent {
        let provider = ScriptedProvider(script: try ScriptedScript.parse(Data(script.utf8), source: "test"))
        let dependencies = AgentDependencies(store: store, provider: provider, projectRules: ProjectRuleFile(environment: environment),
                                             instructions: .none)
        if let id { return try await Agent.resume(id: id, dependencies: dependencies) }
        var config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: work.path)
        config.sandbox.mode = .full
        return try await Agent.create(config: config, dependencies: dependencies)
    }

    /// Sends `text` and waits for the first approval request.
    static func firstRequest(_ agent: Agent, _ text: String) async throws -> PermissionRequiredEvent? {
        let events = agent.subscribe(channels: [.control])
        try await agent.send(text)
        for await envelope in events {
            if case .permissionRequired(let e) = envelope.event { return e }
        }
        return nil
    }

    @Test("always for this project: written to .kode/config.toml, in force at once, surviving a restart; revoking it removes both")
    func projectScopeAndRevocation() async throws {
        let files = try ConfigFiles()
        let storeDir = try TemporaryDirectory(prefix: "kode-rules-store")
        let store = try FileStore(root: storeDir.url)
        var agent = try await Self.open(nil, store: store, work: files.work, environment: files.environment)
        let id = agent.id
        let request = try #require(await Self.firstRequest(agent, "check"))
        #expect(request.alwaysPattern == "bash_run(git status*)")
        try await agent.decide(request.callId, .allow, scope: .project, by: "tester")
        await agent.waitUntilIdle()
        #expect(try Self.configText(files.work) == "[permissions]\nallow = [\"bash_run(git status*)\"]\n")
        let rule = try #require(await agent.snapshot().rules.first)
        #expect(rule.scope == .project)
        #expect(rule.pattern == "bash_run(git status*)")
        // A new agent of the project reads it from the file.
        #expect(try files.load().agentDefaults(template: nil).permission.allow == ["bash_run(git status*)"])
        await agent.close()

        // After a restart the rule is still this agent's, still of project scope, and still in force.
        agent = try await Self.open(id, store: store, work: files.work, environment: files.environment)
        #expect(await agent.snapshot().rules.map(\.scope) == [.project])
        _ = try await agent.chat("again")
        let calls = await agent.snapshot().toolCalls.values.filter { $0.input["cmd"]?.stringValue == "git status" }
        #expect(calls.first?.decision?.decidedBy == "policy", "allowed by the rule without asking")
        try await agent.revokeRule(rule.id)
        #expect(try files.load()["permissions", "allow"]?.value.strings == [])
        await agent.close()

        agent = try await Self.open(id, store: store, work: files.work, environment: files.environment)
        #expect(await agent.snapshot().rules.isEmpty, "the revocation is in the log")
        await agent.close()
    }

    @Test("an agent-scoped always-deny survives a restart and denies without asking")
    func agentScopedDeny() async throws {
        let files = try ConfigFiles()
        let storeDir = try TemporaryDirectory(prefix: "kode-rules-store")
        let store = try FileStore(root: storeDir.url)
        var agent = try await Self.open(nil, store: store, work: files.work, environment: files.environment)
        let id = agent.id
        let request = try #require(await Self.firstRequest(agent, "check"))
        try await agent.decide(request.callId, .deny, scope: .always, by: "tester")
        await agent.waitUntilIdle()
        #expect(!FileManager.default.fileExists(atPath: files.work.path + "/.kode/config.toml"), "agent scope writes no file")
        await agent.close()
        agent = try await Self.open(id, store: store, work: files.work, environment: files.environment)
        #expect(await agent.snapshot().rules.map(\.decision) == [.deny])
        _ = try await agent.chat("again")
        let denied = await agent.snapshot().toolCalls.values.filter { $0.input["cmd"]?.stringValue == "git status" }
        #expect(denied.first?.state == .denied)
        #expect(denied.first?.decision?.decidedBy == "policy")
        await agent.close()
    }
}
