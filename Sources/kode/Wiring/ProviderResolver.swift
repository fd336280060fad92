import Foundation
import KodeKernel
import KodeProviders

/// Turns provider flags and stored configs into a running ``ModelProvider``.
enum ProviderResolver {
    static let knownProviders = ["anthropic", "openai", "gemini", "scripted", "demo"]

    /// The provider configuration for a new agent. With no provider named, a configured API key
    /// picks its vendor; with none, the offline demo model is used and the notice says so.
    static func config(name: String?, model: String?, baseURL: String?, script: String?, environment: [String: String]) throws -> (ProviderConfig, String?) {
        switch name {
        case "scripted":
            return (ProviderConfig(name: "scripted", model: model ?? "scripted", scriptPath: script), nil)
        case "demo":
            return (ProviderConfig(name: "demo", model: "kode-demo"), "using the offline demo model (not a real AI)")
        case .some(let vendor):
            var config = ProviderConfig(name: vendor, model: model ?? DefaultModels.model(for: vendor) ?? vendor, baseURL: baseURL)
            config.baseURL = baseURL
            return (config, nil)
        case nil:
            let found: ProviderConfig?
            do {
                found = try ProviderFactory.defaultProvider(environment: environment)
            } catch {
                throw CLIError.usage("\(error)")
            }
            if var detected = found {
                if let model { detected.model = model }
                if let baseURL { detected.baseURL = baseURL }
                return (detected, nil)
            }
            return (ProviderConfig(name: "demo", model: "kode-demo"),
                    "no API key configured (ANTHROPIC_API_KEY, OPENAI_API_KEY or GEMINI_API_KEY): using the offline demo model, not a real AI")
        }
    }

    /// Applies per-run overrides to a stored agent's provider (not written back).
    static func override(_ stored: ProviderConfig, name: String?, model: String?, baseURL: String?, script: String?) -> ProviderConfig {
        var config = stored
        if let name, name != stored.name {
            config = ProviderConfig(name: name, model: model ?? DefaultModels.model(for: name) ?? name, baseURL: baseURL, scriptPath: script)
        }
        if let model { config.model = model }
        if let baseURL { config.baseURL = baseURL }
        if let script { config.scriptPath = script }
        return config
    }

    /// Builds the provider. A bad script is a usage error (exit 2) naming the file and field.
    static func make(_ config: ProviderConfig, environment: [String: String]) throws -> any ModelProvider {
        switch config.name {
        case "scripted":
            guard let path = config.scriptPath else { throw CLIError.usage("the scripted provider needs --script FILE") }
            do {
                return ScriptedProvider(script: try ScriptedScript.load(path: path), model: config.model)
            } catch let error as ScriptError {
                throw CLIError.usage(error.description)
            }
        case "demo":
            return DemoProvider()
        default:
            do {
                return try ProviderFactory.make(config, environment: environment, client: nil)
            } catch {
                throw CLIError.usage("\(error)")
            }
        }
    }

    /// A cost estimator from the providers' price table.
    static let costEstimator: @Sendable (String, TokenUsage) -> Double? = { model, usage in
        ModelPricing.cost(model: model, usage: usage)
    }
}

/// Stands in for a model in commands that never call one (approve, fork, …).
struct NoModelProvider: ModelProvider {
    let info: ProviderInfo

    func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelStreamEvent, any Error> {
        AsyncThrowingStream { $0.finish(throwing: ModelError(.badRequest, "this command does not call the model")) }
    }
}
