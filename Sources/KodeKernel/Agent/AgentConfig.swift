import Foundation

/// Which model an agent talks to. Stored in the manifest; an API key never is.
public struct ProviderConfig: Sendable, Hashable, Codable {
    /// `anthropic`, `openai`, `gemini`, `scripted`, `demo`.
    public var name: String
    public var model: String
    public var baseURL: String?
    /// For `scripted`: the script file the agent replays.
    public var scriptPath: String?

    public init(name: String, model: String, baseURL: String? = nil, scriptPath: String? = nil) {
        self.name = name
        self.model = model
        self.baseURL = baseURL
        self.scriptPath = scriptPath
    }
}

/// Everything needed to run an agent again with no flags: stored in its manifest.
///
/// Decoding accepts manifests written before a field existed: a missing `sandbox` is the default
/// `SandboxConfig()` (`workspace-write`, network off), missing `tools` means every tool, missing
/// `deniedCommands` none, missing `thinking` off.
public struct AgentConfig: Sendable, Hashable, Codable {
    public var provider: ProviderConfig
    public var permission: PermissionPolicy
    /// The system prompt, after any template was applied.
    public var systemPrompt: String?
    /// The name of the config template (`[templates.NAME]`) the agent was created from, if any.
    public var template: String?
    /// The working directory tools run in (absolute).
    public var workDir: String
    /// Extra directories tools may touch besides `workDir`.
    public var allowPaths: [String]
    /// The most model calls in one turn; hitting it ends the turn with a Monitor error.
    public var maxSteps: Int
    /// How many independent tool calls may run at once.
    public var toolConcurrency: Int
    /// Characters of conversation after which old tool results are shortened (`context_compression`).
    public var contextBudgetChars: Int
    /// Resume an interrupted turn automatically on open instead of waiting for an explicit continue.
    public var autoContinue: Bool
    /// How `bash_run` commands are confined by the operating system.
    public var sandbox: SandboxConfig
    /// The tools the model may call, by name; nil for every registered tool.
    public var tools: [String]?
    /// Command prefixes `bash_run` refuses on top of the built-in deny-list (`git push`).
    public var deniedCommands: [String]
    /// Extended thinking.
    public var thinking: ThinkingConfig
    /// What workspace snapshots capture (docs/WORKSPACE.md).
    public var workspace: WorkspaceConfig

    public init(
        provider: ProviderConfig,
        permission: PermissionPolicy = PermissionPolicy(),
        systemPrompt: String? = nil,
        template: String? = nil,
        workDir: String,
        allowPaths: [String] = [],
        maxSteps: Int = 100,
        toolConcurrency: Int = 4,
        contextBudgetChars: Int = 400_000,
        autoContinue: Bool = false,
        sandbox: SandboxConfig = SandboxConfig(),
        tools: [String]? = nil,
        deniedCommands: [String] = [],
        thinking: ThinkingConfig = ThinkingConfig(),
        workspace: WorkspaceConfig = WorkspaceConfig()
    ) {
        self.provider = provider
        self.permission = permission
        self.systemPrompt = systemPrompt
        self.template = template
        self.workDir = workDir
        self.allowPaths = allowPaths
        self.maxSteps = maxSteps
        self.toolConcurrency = toolConcurrency
        self.contextBudgetChars = contextBudgetChars
        self.autoContinue = autoContinue
        self.sandbox = sandbox
        self.tools = tools
        self.deniedCommands = deniedCommands
        self.thinking = thinking
        self.workspace = workspace
    }

    private enum CodingKeys: String, CodingKey {
        case provider, permission, systemPrompt, template, workDir, allowPaths, maxSteps, toolConcurrency
        case contextBudgetChars, autoContinue, sandbox, tools, deniedCommands, thinking
        case workspace
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            provider: try c.decode(ProviderConfig.self, forKey: .provider),
            permission: try c.decode(PermissionPolicy.self, forKey: .permission),
            systemPrompt: try c.decodeIfPresent(String.self, forKey: .systemPrompt),
            template: try c.decodeIfPresent(String.self, forKey: .template),
            workDir: try c.decode(String.self, forKey: .workDir),
            allowPaths: try c.decode([String].self, forKey: .allowPaths),
            maxSteps: try c.decode(Int.self, forKey: .maxSteps),
            toolConcurrency: try c.decode(Int.self, forKey: .toolConcurrency),
            contextBudgetChars: try c.decode(Int.self, forKey: .contextBudgetChars),
            autoContinue: try c.decode(Bool.self, forKey: .autoContinue),
            sandbox: try c.decodeIfPresent(SandboxConfig.self, forKey: .sandbox) ?? SandboxConfig(),
            tools: try c.decodeIfPresent([String].self, forKey: .tools),
            deniedCommands: try c.decodeIfPresent([String].self, forKey: .deniedCommands) ?? [],
            thinking: try c.decodeIfPresent(ThinkingConfig.self, forKey: .thinking) ?? ThinkingConfig(),
            workspace: try c.decodeIfPresent(WorkspaceConfig.self, forKey: .workspace) ?? WorkspaceConfig())
    }
}
