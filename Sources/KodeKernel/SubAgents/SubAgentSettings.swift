/// How `task_run` makes its children: how deep they may nest, what a template name means, and
/// which model answers them. Carried by the ``TaskRunTool`` instance, so a child gets the same
/// settings as its parent.
public struct SubAgentSettings: Sendable {
    /// The deepest a sub-agent may be (1: children of a top-level agent, none of their own).
    /// A child at this depth is not offered `task_run`.
    public var maxDepth: Int
    /// The configuration of a child made from `[templates.NAME]`, given the name and the
    /// parent's configuration (the embedding program reads its configuration files; the kernel
    /// does not). Throws for a name that is not a template, an error whose description names
    /// it (the model reads it after "task_run: "). Nil: calls naming a template fail.
    public var template: (@Sendable (_ name: String, _ parent: AgentConfig) throws -> AgentConfig)?
    /// The model for a child's provider configuration. Nil: a child whose provider configuration
    /// is the parent's uses the parent's model; any other (a model override or a template's own
    /// model) is a tool error.
    public var provider: (@Sendable (_ config: ProviderConfig) throws -> any ModelProvider)?
    /// Hooks for children instead of the parent's (the parent's when nil).
    public var childHooks: Hooks?

    /// The depth limit `task_run` uses unless told otherwise.
    public static let defaultMaxDepth = 2

    public init(
        maxDepth: Int = SubAgentSettings.defaultMaxDepth,
        template: (@Sendable (_ name: String, _ parent: AgentConfig) throws -> AgentConfig)? = nil,
        provider: (@Sendable (_ config: ProviderConfig) throws -> any ModelProvider)? = nil,
        childHooks: Hooks? = nil
    ) {
        self.maxDepth = maxDepth
        self.template = template
        self.provider = provider
        self.childHooks = childHooks
    }
}
