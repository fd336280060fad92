import Foundation

/// What an agent runs on besides its configuration: where it is stored, the model it talks to,
/// its tools, hooks and sandbox. Built once and passed to ``Agent/create(config:dependencies:)``
/// or ``Agent/resume(id:dependencies:)``.
public struct AgentDependencies: Sendable {
    /// Where the agent's log, snapshots and manifest live.
    public var store: any AgentStore
    /// The model that answers.
    public var provider: any ModelProvider
    /// The tools the model may call.
    public var tools: ToolRegistry
    /// Callbacks around model calls, tool calls and breakpoints.
    public var hooks: Hooks
    /// Where tools run; nil for a `LocalSandbox` on the config's working directory and allowed paths.
    public var sandbox: (any Sandbox)?
    /// Dollars for a model and its token usage, when known (shown in `token_usage` events).
    public var costEstimator: (@Sendable (String, TokenUsage) -> Double?)?
    /// Context window, compaction and reminders (docs/AGENT.md, "Long sessions").
    public var context: ContextPolicy
    /// Where "always for this project" rules are written; nil refuses that scope with a message.
    public var projectRules: (any ProjectRuleWriter)?
    /// Where the project instructions (`AGENTS.md`, `KODE.md`) are looked for.
    public var instructions: ProjectInstructions
    /// The time the scheduler's triggers are measured by (docs/MULTI-AGENT.md, "Scheduler").
    public var clock: any SchedulerClock = SystemClock()

    public init(
        store: any AgentStore,
        provider: any ModelProvider,
        tools: ToolRegistry = .builtins(),
        hooks: Hooks = Hooks(),
        sandbox: (any Sandbox)? = nil,
        costEstimator: (@Sendable (String, TokenUsage) -> Double?)? = nil,
        context: ContextPolicy = ContextPolicy(),
        projectRules: (any ProjectRuleWriter)? = nil,
        instructions: ProjectInstructions = .standard
    ) {
        self.store = store
        self.provider = provider
        self.tools = tools
        self.hooks = hooks
        self.sandbox = sandbox
        self.costEstimator = costEstimator
        self.context = context
        self.projectRules = projectRules
        self.instructions = instructions
    }
}
