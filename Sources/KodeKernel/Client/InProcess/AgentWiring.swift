import Foundation

/// What a hub needs to bring an agent to life besides its stored config: a model for a
/// provider config (the kernel makes none over HTTP itself), tools, hooks and prices. The
/// hub's store and the model made for the config complete it to ``AgentDependencies``.
public struct AgentWiring: Sendable {
    /// Makes the model an agent's config names. Throws a message for the person on a bad config.
    public var makeProvider: @Sendable (ProviderConfig) throws -> any ModelProvider
    public var tools: @Sendable () -> ToolRegistry
    public var hooks: Hooks
    public var costEstimator: (@Sendable (String, TokenUsage) -> Double?)?
    /// Whether a decision on a request that survived a restart continues the turn right away
    /// (the app, a host). False for a short-lived process with no model (`kode approve`): it
    /// records the decision, and the turn continues where a model is (`kode run --continue`).
    public var continuesAfterDecisions = true
    /// Context window, compaction and reminders for every agent of the hub.
    public var context: ContextPolicy
    /// Where "always for this project" rules are written (see ``AgentDependencies/projectRules``).
    public var projectRules: (any ProjectRuleWriter)?
    /// Where project instructions are looked for.
    public var instructions: ProjectInstructions
    /// The time every agent's scheduler triggers are measured by.
    public var clock: any SchedulerClock = SystemClock()

    public init(
        makeProvider: @escaping @Sendable (ProviderConfig) throws -> any ModelProvider,
        tools: @escaping @Sendable () -> ToolRegistry = { .builtins() },
        hooks: Hooks = Hooks(),
        costEstimator: (@Sendable (String, TokenUsage) -> Double?)? = nil,
        context: ContextPolicy = ContextPolicy(),
        projectRules: (any ProjectRuleWriter)? = nil,
        instructions: ProjectInstructions = .standard
    ) {
        self.makeProvider = makeProvider
        self.tools = tools
        self.hooks = hooks
        self.costEstimator = costEstimator
        self.context = context
        self.projectRules = projectRules
        self.instructions = instructions
    }

    /// The dependencies of one agent of `store` that talks to `provider`.
    func dependencies(store: any AgentStore, provider: any ModelProvider) -> AgentDependencies {
        var dependencies = AgentDependencies(store: store, provider: provider, tools: tools(), hooks: hooks, costEstimator: costEstimator,
                                             context: context, projectRules: projectRules, instructions: instructions)
        dependencies.clock = clock
        return dependencies
    }
}
