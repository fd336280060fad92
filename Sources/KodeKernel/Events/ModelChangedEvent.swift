/// `model_changed`: the agent uses another provider or model from its next turn on (a front
/// end's `/model`). Durable, folded into ``AgentState/providerOverride``, and applied again when
/// the agent is opened.
public struct ModelChangedEvent: Sendable, Hashable, Codable {
    /// The provider and model from now on (no credentials: those come from the environment).
    public var provider: ProviderConfig
    /// Who asked (`user`, `cli`, …).
    public var by: String

    public init(provider: ProviderConfig, by: String) {
        self.provider = provider
        self.by = by
    }
}
