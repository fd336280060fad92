import Foundation
import KodeKernel

/// A real agent on a scripted model, in a fresh working directory and store, for tests.
public struct AgentHarness: Sendable {
    public let agent: Agent
    public let store: any AgentStore
    public let workDir: URL

    /// Builds an agent whose model plays `script` (the scripted provider's JSON format).
    public static func make(
        script: String,
        permission: PermissionMode = .auto,
        maxSteps: Int = 100,
        toolConcurrency: Int = 4,
        contextBudgetChars: Int = 400_000,
        hooks: Hooks = Hooks(),
        tools: ToolRegistry = .builtins(),
        store: (any AgentStore)? = nil,
        workDir: URL? = nil
    ) async throws -> AgentHarness {
        let directory = try workDir ?? AgentHarness.makeWorkDir()
        let parsed = try ScriptedScript.parse(Data(script.utf8), source: "test script")
        var config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: directory.path)
        config.permission.mode = permission
        config.maxSteps = maxSteps
        config.toolConcurrency = toolConcurrency
        config.contextBudgetChars = contextBudgetChars
        let store = store ?? InMemoryStore()
        let agent = try await Agent.create(config: config, store: store, provider: ScriptedProvider(script: parsed), tools: tools, hooks: hooks)
        return AgentHarness(agent: agent, store: store, workDir: directory)
    }

    /// A fresh, empty, symlink-resolved directory under the system temporary directory.
    public static func makeWorkDir() throws -> URL {
        let base = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("kode-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        return base.resolvingSymlinksInPath()
    }

    /// Closes the agent and removes the working directory.
    public func tearDown() async {
        await agent.close()
        try? FileManager.default.removeItem(at: workDir)
    }
}
