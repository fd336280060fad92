import Foundation
import KodeKernel
import KodeTestSupport
import Synchronization
import Testing

@Suite("project instructions and tool manuals in the system prompt")
struct InstructionsTests {
    /// A repository with instructions at its root, in a folder and in the work directory, a
    /// parent of the repository with an AGENTS.md that must not be read, and a user file.
    struct Layout {
        let top: TemporaryDirectory
        let user: TemporaryDirectory
        var repo: String { top.path + "/repo" }
        var work: String { repo + "/pkg/app" }
        var userFile: String { user.path + "/AGENTS.md" }

        init() throws {
            top = try TemporaryDirectory(prefix: "kode-instructions")
            user = try TemporaryDirectory(prefix: "kode-instructions-user")
            try FileManager.default.createDirectory(atPath: top.path + "/repo/.git", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: top.path + "/repo/pkg/app", withIntermediateDirectories: true)
            try "outside the repository".write(toFile: top.path + "/AGENTS.md", atomically: true, encoding: .utf8)
            try "root rules".write(toFile: top.path + "/repo/AGENTS.md", atomically: true, encoding: .utf8)
            try "package notes".write(toFile: top.path + "/repo/pkg/KODE.md", atomically: true, encoding: .utf8)
            try "app rules".write(toFile: top.path + "/repo/pkg/app/AGENTS.md", atomically: true, encoding: .utf8)
            try "my own habits".write(toFile: user.path + "/AGENTS.md", atomically: true, encoding: .utf8)
        }
    }

    /// Every system prompt the model was sent.
    final class Prompts: Sendable {
        let seen = Mutex<[String]>([])
        var last: String? { seen.withLock { $0.last } }
        var hooks: Hooks {
            Hooks(preModel: { [self] request in
                seen.withLock { $0.append(request.system ?? "") }
                return request
            })
        }
    }

    static func open(_ id: AgentID?, _ layout: Layout, store: FileStore, prompts: Prompts) async throws -> Agent {
        let provider = ScriptedProvider(script: try ScriptedScript.parse(Data(#"{"turns":[{"text":"a"},{"text":"b"},{"text":"c"}]}"#.utf8), source: "t"))
        let dependencies = AgentDependencies(store: store, provider: provider, hooks: prompts.hooks,
                                             instructions: ProjectInstructions(userFile: layout.userFile))
        if let id { return try await Agent.resume(id: id, dependencies: dependencies) }
        let config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), systemPrompt: "BASE", workDir: layout.work)
        return try await Agent.create(config: config, dependencies: dependencies)
    }

    static func recorded(_ store: FileStore, _ id: AgentID) async throws -> [AgentEvent] {
        try await store.records(of: id, after: 0).compactMap { record in
            guard case .event(let event) = record.body else { return nil }
            switch event {
            case .instructionsLoaded, .toolManualUpdated: return event
            default: return nil
            }
        }
    }

    @Test("found from the work directory up to the repository root plus the user's file, in the prompt and in the log")
    func foundAndRecorded() async throws {
        let layout = try Layout()
        let storeDir = try TemporaryDirectory(prefix: "kode-instructions-store")
        let store = try FileStore(root: storeDir.url)
        let prompts = Prompts()
        var agent = try await Self.open(nil, layout, store: store, prompts: prompts)
        let id = agent.id
        _ = try await agent.chat("hi")
        let prompt = try #require(prompts.last)
        #expect(prompt.hasPrefix("BASE\n\n# Project instructions"))
        let order = ["my own habits", "root rules", "package notes", "app rules"].map { prompt.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil })
        #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted(), "most general first")
        #expect(!prompt.contains("outside the repository"))
        #expect(prompt.contains("## \(layout.repo)/pkg/KODE.md"))
        #expect(prompt.contains("# Tool notes\n\n## fs_write\n\n- Writes the whole file"))
        #expect(prompt.contains("## bash_run\n\n- Prefer the fs_* tools"))

        let first = try await Self.recorded(store, id)
        #expect(first.count == 2)
        guard case .instructionsLoaded(let loaded)? = first.first else { Issue.record("no instructions_loaded"); return }
        #expect(loaded.files.map(\.path) == [layout.userFile, layout.repo + "/AGENTS.md", layout.repo + "/pkg/KODE.md", layout.work + "/AGENTS.md"])
        guard case .toolManualUpdated(let manuals)? = first.last else { Issue.record("no tool_manual_updated"); return }
        #expect(manuals.changed == ["bash_run", "fs_edit", "fs_write", "todo_write"])
        #expect(first.last?.channel == .monitor)
        await agent.close()

        // Reopened: nothing new is recorded, and the prompt is the same.
        agent = try await Self.open(id, layout, store: store, prompts: prompts)
        #expect(try await Self.recorded(store, id).count == 2)
        _ = try await agent.chat("again")
        #expect(prompts.last == prompt)
        await agent.close()

        // A changed file: the reopened agent keeps what it saw, until it reloads; the log keeps both.
        try "app rules, revised".write(toFile: layout.work + "/AGENTS.md", atomically: true, encoding: .utf8)
        agent = try await Self.open(id, layout, store: store, prompts: prompts)
        #expect(try await Self.recorded(store, id).count == 2)
        #expect(await agent.snapshot().instructions.last?.text == "app rules")
        #expect(try await agent.reloadInstructions())
        #expect(try await !agent.reloadInstructions(), "nothing changed since")
        let after = try await Self.recorded(store, id)
        #expect(after.count == 3)
        #expect(await agent.snapshot().instructions.last?.text == "app rules, revised")
        _ = try await agent.chat("third")
        #expect(prompts.last?.contains("app rules, revised") == true)
        await agent.close()
    }

    @Test("a resumed agent rebuilt from a snapshot keeps the recorded instructions and manuals")
    func survivesASnapshot() async throws {
        var state = AgentState(id: "agt_x")
        state.instructions = [InstructionFile(path: "/r/AGENTS.md", text: "rules")]
        state.toolManuals = [ToolManual(tool: "bash_run", text: "notes")]
        state.rules = [PermissionRule(pattern: "fs_read", decision: .allow, grantedBy: "me", scope: .project),
                       PermissionRule(pattern: "fs_grep", decision: .deny, grantedBy: "me")]
        let decoded = try AgentState.decode(try state.encoded())
        #expect(decoded.instructions == state.instructions)
        #expect(decoded.toolManuals == state.toolManuals)
        #expect(decoded.rules.map(\.scope) == [.project, .agent])
    }
}
