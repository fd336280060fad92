import Foundation
import Synchronization
import KodeConfig
import KodeKernel
import KodeTestSupport
import Testing

/// Each pattern form written in `[permissions]`, loaded through the configuration into a real
/// agent, decides a real call of a scripted model.
@Suite("permissions from the config file")
struct PolicyFromConfigTests {
    static let config = """
        [permissions]
        mode = "approval"
        allow = ["fs_read", "fs_g*", "bash_run(git status*)", "fs_write(docs/**)"]
        deny = ["bash_run(rm -rf *)"]
        require_approval = ["fs_write(src/**)"]
        denied_commands = ["git push"]
        tool_concurrency = 2
        """

    static let calls: [(String, String)] = [
        ("fs_read", #"{"path":"a.txt"}"#),                          // 0: a bare tool name
        ("fs_glob", #"{"pattern":"*.txt"}"#),                        // 1: a tool-name glob
        ("bash_run", #"{"cmd":"git status --short"}"#),              // 2: a command prefix
        ("bash_run", #"{"cmd":"git status; touch x"}"#),             // 3: a chain the prefix does not vouch for
        ("fs_write", #"{"path":"docs/guide/a.md","content":"x"}"#),  // 4: a path glob
        ("fs_write", #"{"path":"src/b.swift","content":"x"}"#),      // 5: require_approval
        ("bash_run", #"{"cmd":"rm -rf build"}"#),                    // 6: deny
        ("bash_run", #"{"cmd":"echo hi"}"#),                         // 7: no pattern: the mode asks
    ]

    @Test("allow, deny and require_approval patterns of every form, and the mode, decide each call")
    func eachForm() async throws {
        let files = try ConfigFiles(project: Self.config)
        let defaults = try files.load().agentDefaults(template: nil)
        #expect(defaults.deniedCommands == ["git push"])
        #expect(defaults.toolConcurrency == 2)
        try "alpha".write(to: files.work.appending("a.txt"), atomically: true, encoding: .utf8)

        let toolCalls = Self.calls.map { #"{"name":"\#($0.0)","input":\#($0.1)}"# }.joined(separator: ",")
        let script = #"{"turns":[{"tool_calls":[\#(toolCalls)]},{"text":"done"}]}"#
        var config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: files.work.path)
        config.permission = defaults.permission
        config.deniedCommands = defaults.deniedCommands
        config.toolConcurrency = defaults.toolConcurrency
        config.sandbox.mode = .full
        let agent = try await Agent.create(config: config, dependencies: AgentDependencies(
            store: InMemoryStore(), provider: ScriptedProvider(script: try ScriptedScript.parse(Data(script.utf8), source: "t")), instructions: .none))
        let events = agent.subscribe(channels: [.control])
        try await agent.send("go")
        var asked: [String: String] = [:]
        for await envelope in events {
            if case .permissionRequired(let e) = envelope.event { asked[e.callId] = e.reason }
            if asked.count == 3 { break }
        }
        let state = await agent.snapshot()
        let records = try #require(state.messages.last?.toolUses).map { try #require(state.toolCalls[$0.id]) }
        #expect(records.count == Self.calls.count)
        for index in [0, 1, 2, 4] {
            #expect(records[index].decision?.decision == .allow, "call \(index): \(records[index].reason ?? "")")
            #expect(records[index].decision?.decidedBy == "policy")
        }
        #expect(records[2].reason == "matches allow rule \"bash_run(git status*)\"")
        #expect(records[4].reason == "matches allow rule \"fs_write(docs/**)\"")
        #expect(records[3].state == .approvalRequired)
        #expect(records[5].state == .approvalRequired)
        #expect(records[5].reason == "matches requireApproval rule \"fs_write(src/**)\"")
        #expect(records[6].state == .denied)
        #expect(records[6].reason == nil || records[6].decision?.note == "matches deny rule \"bash_run(rm -rf *)\"")
        #expect(records[7].state == .approvalRequired)
        #expect(asked[records[7].id]?.contains("mode approval asks before bash_run") == true)
        await agent.close()
    }

    @Test("denied_commands from the config refuse a command even in mode auto")
    func deniedCommands() async throws {
        let files = try ConfigFiles(project: "[permissions]\nmode = \"auto\"\ndenied_commands = [\"git push\"]\n")
        let defaults = try files.load().agentDefaults(template: nil)
        let script = #"{"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"git push --force origin main"}}]},{"text":"done"}]}"#
        var config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: files.work.path)
        config.permission = defaults.permission
        config.deniedCommands = defaults.deniedCommands
        config.sandbox.mode = .full
        let agent = try await Agent.create(config: config, dependencies: AgentDependencies(
            store: InMemoryStore(), provider: ScriptedProvider(script: try ScriptedScript.parse(Data(script.utf8), source: "t")), instructions: .none))
        _ = try await agent.chat("go")
        let results = await agent.snapshot().messages.flatMap(\.content).compactMap { block -> (String, Bool)? in
            if case .toolResult(_, let content, let isError) = block { return (content, isError) }
            return nil
        }
        let result = try #require(results.first)
        #expect(result.1)
        #expect(result.0.contains("git push"), "\(result.0)")
        await agent.close()
    }

    @Test("tools enabled by a template are all the model is offered and may call")
    func enabledTools() async throws {
        let files = try ConfigFiles(user: "[templates.read]\ntools = [\"fs_read\", \"fs_grep\"]\n")
        let defaults = try files.load().agentDefaults(template: "read")
        let script = #"{"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"ls"}}]},{"text":"done"}]}"#
        var config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: files.work.path)
        config.tools = defaults.tools
        config.permission.mode = .auto
        let offered = Mutex<[String]>([])
        let hooks = Hooks(preModel: { request in
            offered.withLock { $0 = request.tools.map(\.name) }
            return request
        })
        let agent = try await Agent.create(config: config, dependencies: AgentDependencies(
            store: InMemoryStore(), provider: ScriptedProvider(script: try ScriptedScript.parse(Data(script.utf8), source: "t")),
            hooks: hooks, instructions: .none))
        _ = try await agent.chat("go")
        #expect(offered.withLock { $0 } == ["fs_read", "fs_grep"])
        let result = await agent.snapshot().messages.flatMap(\.content).compactMap { block -> String? in
            if case .toolResult(_, let content, true) = block { return content }
            return nil
        }.first
        #expect(result == "Unknown tool 'bash_run'. Available tools: fs_grep, fs_read.")
        await agent.close()
    }

    @Test("a template that requires confinement on a machine the config says cannot confine refuses commands")
    func requiredConfinementRefuses() async throws {
        let files = try ConfigFiles(project: """
            [sandbox]
            simulate_unavailable = true

            [templates.strict.sandbox]
            require_confinement = true
            """)
        let settings = try files.load()
        #expect(try settings.agentDefaults(template: nil).sandbox.requireConfinement == false)
        let strict = try settings.agentDefaults(template: "strict").sandbox
        #expect(strict.requireConfinement && strict.simulateUnavailable && strict.mode == .workspaceWrite)
        let script = #"{"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"echo hi > out.txt"}}]},{"text":"done"}]}"#
        var config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: files.work.path)
        config.permission.mode = .auto
        config.sandbox = strict
        let agent = try await Agent.create(config: config, dependencies: AgentDependencies(
            store: InMemoryStore(), provider: ScriptedProvider(script: try ScriptedScript.parse(Data(script.utf8), source: "t")), instructions: .none))
        _ = try await agent.chat("go")
        let result = await agent.snapshot().messages.flatMap(\.content).compactMap { block -> (String, Bool)? in
            if case .toolResult(_, let content, let isError) = block { return (content, isError) }
            return nil
        }.first
        #expect(result?.1 == true, "\(String(describing: result))")
        #expect(!FileManager.default.fileExists(atPath: files.work.path + "/out.txt"), "the command never ran")
        await agent.close()
    }
}
