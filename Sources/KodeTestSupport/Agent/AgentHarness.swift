import Foundation
import KodeKernel

/// A real agent on a scripted model, in a fresh working directory and store, for tests.
public struct AgentHarness: Sendable {
    public let agent: Agent
    public let store: any AgentStore
    public let workDir: URL
    /// The working directory when the harness made it; removed once the last copy of the harness is gone.
    let ownedDirectory: TemporaryDirectory?

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
        workDir: URL? = nil,
        context: ContextPolicy = ContextPolicy(),
        wrap: (@Sendable (any ModelProvider) -> any ModelProvider)? = nil
    ) async throws -> AgentHarness {
        let owned = workDir == nil ? try TemporaryDirectory(prefix: "kode-test") : nil
        let directory = workDir ?? owned!.url
        let parsed = try ScriptedScript.parse(Data(script.utf8), source: "test script")
        var config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: directory.path)
        config.permission.mode = permission
        config.maxSteps = maxSteps
        config.toolConcurrency = toolConcurrency
        config.contextBudgetChars = contextBudgetChars
        let store = store ?? InMemoryStore()
        let scripted = ScriptedProvider(script: parsed)
        let agent = try await Agent.create(config: config, dependencies: AgentDependencies(
            store: store, provider: wrap?(scripted) ?? scripted, tools: tools, hooks: hooks, context: context))
        return AgentHarness(agent: agent, store: store, workDir: directory, ownedDirectory: owned)
    }

    /// Closes the agent (the working directory it made goes with the harness).
    public func tearDown() async {
        await agent.close()
    }
}
