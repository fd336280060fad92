import Foundation
import KodeKernel

/// A parent agent with `task_run` on a real ``FileStore`` in a temporary directory, whose
/// children play scripts chosen by model name (the parent plays its own script). Reopening the
/// store — with a crash-simulating file layer or a plain one — is how tests restart the "process".
public struct SubAgentFixture: Sendable {
    public let directory: TemporaryDirectory
    public let parentScript: String
    /// Child scripts by model name; `childScript` plays for any other model.
    public let childScripts: [String: String]
    public let childScript: String

    public var storeRoot: URL { directory.appending("store") }
    public var workDir: URL { directory.appending("work") }

    public init(parentScript: String, childScript: String, childScripts: [String: String] = [:]) throws {
        directory = try TemporaryDirectory(prefix: "kode-subagents")
        try FileManager.default.createDirectory(at: directory.appending("work"), withIntermediateDirectories: true)
        self.parentScript = parentScript
        self.childScript = childScript
        self.childScripts = childScripts
    }

    /// A store over the fixture's directory (a new "process" each time it is called).
    public func store(io: (any FileIO)? = nil) throws -> FileStore {
        try FileStore(root: storeRoot, io: io ?? PosixFileIO())
    }

    /// Settings whose model factory plays the child scripts.
    public func settings(maxDepth: Int = SubAgentSettings.defaultMaxDepth, childHooks: Hooks? = nil) -> SubAgentSettings {
        let scripts = childScripts, fallback = childScript
        return SubAgentSettings(
            maxDepth: maxDepth,
            template: { name, parent in
                guard name == "reviewer" else { throw FixtureTemplateError(name: name) }
                var config = parent
                config.systemPrompt = "You review."
                config.tools = ["fs_read", "fs_glob"]
                config.provider = ProviderConfig(name: "scripted", model: "reviewer")
                return config
            },
            provider: { config in
                let text = scripts[config.model] ?? fallback
                return ScriptedProvider(script: try ScriptedScript.parse(Data(text.utf8), source: "child script \(config.model)"), model: config.model)
            },
            childHooks: childHooks)
    }

    /// The dependencies of the parent: the built-ins plus `task_run`.
    public func dependencies(store: any AgentStore, settings: SubAgentSettings, hooks: Hooks = Hooks(), tools: [String]? = nil) throws -> AgentDependencies {
        var registry = ToolRegistry.builtins()
        registry.register(TaskRunTool(settings: settings))
        if let tools { registry = registry.restricted(to: tools) }
        let provider = ScriptedProvider(script: try ScriptedScript.parse(Data(parentScript.utf8), source: "parent script"), model: "parent")
        return AgentDependencies(store: store, provider: provider, tools: registry, hooks: hooks)
    }

    /// A new parent agent.
    public func makeParent(
        store: any AgentStore, settings: SubAgentSettings, permission: PermissionMode = .auto,
        hooks: Hooks = Hooks(), tools: [String]? = nil
    ) async throws -> Agent {
        var config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "parent"), workDir: workDir.path)
        config.permission.mode = permission
        return try await Agent.create(config: config, dependencies: try dependencies(store: store, settings: settings, hooks: hooks, tools: tools))
    }

    /// The stored parent, reopened (its recovery runs).
    public func resumeParent(_ id: AgentID, store: any AgentStore, settings: SubAgentSettings, hooks: Hooks = Hooks()) async throws -> Agent {
        try await Agent.resume(id: id, dependencies: try dependencies(store: store, settings: settings, hooks: hooks))
    }

    /// The sub-agents in `store` spawned by `parent`.
    public static func children(of parent: AgentID, in store: any AgentStore) async throws -> [AgentManifest] {
        try await store.list().filter { $0.spawnedBy?.agentId == parent }
    }

    /// The text of the newest assistant message in a stored agent.
    public static func finalAnswer(of id: AgentID, in store: any AgentStore) async throws -> String? {
        let history = try await store.history(of: id)
        let state = try AgentState.rebuild(from: history)
        return state.messages.last(where: { $0.role == .assistant })?.text
    }
}

/// The fixture's template source knows only `reviewer`.
public struct FixtureTemplateError: Error, CustomStringConvertible {
    public var name: String
    public var description: String { "no template '\(name)' (configured: reviewer)" }
}
