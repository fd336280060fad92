import Foundation
import KodeKernel
import KodeProviders

/// Which model an example talks to: its canned script (`--scripted`, or when no API key is
/// configured), else the first vendor with a key (ANTHROPIC_API_KEY, OPENAI_API_KEY,
/// GEMINI_API_KEY or ~/.config/kode/credentials.toml) with its default model.
package struct ExampleModel: Sendable {
    /// What new agents are created with.
    package let provider: ProviderConfig
    /// One line for the person running the example: which model and why.
    package let notice: String
    let script: ScriptedScript
    let environment: [String: String]

    /// Picks the model. `scriptJSON` is the example's canned script (ScriptedScript's format);
    /// `name` labels the scripted model, so a stored agent says which example made it.
    package init(scripted: Bool, scriptJSON: String, name: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.script = try ScriptedScript.parse(Data(scriptJSON.utf8), source: "the \(name) script")
        self.environment = environment
        let scriptedConfig = ProviderConfig(name: "scripted", model: name)
        if scripted {
            provider = scriptedConfig
            notice = "model: the example's canned script (--scripted)"
        } else if let real = try ProviderFactory.defaultProvider(environment: environment) {
            provider = real
            notice = "model: \(real.name)/\(real.model) (an API key is configured; --scripted plays the canned script instead)"
        } else {
            provider = scriptedConfig
            notice = "model: the example's canned script (no API key configured)"
        }
    }

    /// Makes the model a stored agent names: the canned script for `scripted`, a network
    /// provider otherwise (so an agent created with a real model resumes with it).
    package func make(_ config: ProviderConfig) throws -> any ModelProvider {
        if config.name == "scripted" { return ScriptedProvider(script: script, model: config.model) }
        return try ProviderFactory.make(config, environment: environment, client: nil)
    }

    /// The wiring of a hub whose agents use this model, with the example's tools and hooks.
    package func wiring(tools: @escaping @Sendable () -> ToolRegistry = { .builtins() }, hooks: Hooks = Hooks()) -> AgentWiring {
        AgentWiring(makeProvider: { [self] in try make($0) }, tools: tools, hooks: hooks)
    }
}
