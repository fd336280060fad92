import Foundation
import KodeConfig
import KodeKernel
import KodeProviders

/// How `task_run` makes children in this binary: `[agent] subagent_max_depth` is the depth
/// limit, `[templates.NAME]` of the configuration read at
/// start-up becomes the child's settings (on top of the parent's working directory and sandbox),
/// and models come from the same providers `--provider` knows.
enum SubAgentWiring {
    static func settings(configuration: Configuration, environment: [String: String]) -> SubAgentSettings {
        SubAgentSettings(
            maxDepth: configuration["agent", "subagent_max_depth"]?.value.integer ?? SubAgentSettings.defaultMaxDepth,
            template: { name, parent in try config(template: name, parent: parent, configuration: configuration) },
            provider: { config in try ProviderResolver.make(config, environment: environment) })
    }

    /// The parent's configuration with the template's values applied, as `kode run --template`
    /// would apply them to a new agent (the provider, model and pattern lists included).
    static func config(template name: String, parent: AgentConfig, configuration: Configuration) throws -> AgentConfig {
        let defaults = try configuration.agentDefaults(template: name)
        var config = parent
        if let provider = defaults.provider, provider != parent.provider.name {
            config.provider = ProviderConfig(name: provider, model: defaults.model ?? DefaultModels.model(for: provider) ?? provider, baseURL: defaults.baseURL)
        } else {
            if let model = defaults.model { config.provider.model = model }
            if let baseURL = defaults.baseURL { config.provider.baseURL = baseURL }
        }
        config.template = name
        config.systemPrompt = defaults.systemPrompt ?? parent.systemPrompt
        config.permission = defaults.permission
        config.maxSteps = defaults.maxSteps
        config.tools = defaults.tools
        config.deniedCommands = defaults.deniedCommands
        config.toolConcurrency = defaults.toolConcurrency
        config.thinking = defaults.thinking(model: config.provider.model)
        return config
    }
}
