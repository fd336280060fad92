import Foundation
import KodeKernel

/// Why a provider could not be made: unknown name, missing key, unreadable credentials file.
public struct ProviderConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A sentence for the user; never contains a key.
    public var message: String
    /// Creates an error with a message.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

/// Makes network providers from a stored `ProviderConfig` and the environment.
///
/// Handles `anthropic`, `openai` and `gemini`; `scripted` and `demo` are the kernel's own and
/// any other name is an "unknown provider" error.
public enum ProviderFactory {
    /// The providers this factory builds.
    public static let networkProviders = Vendor.all.map(\.name)

    /// The environment variable that holds `provider`'s key.
    public static func keyVariable(for provider: String) -> String? { Vendor.named(provider)?.keyVariable }

    /// A provider for `config`. An empty `config.model` means the vendor's default model
    /// (`DefaultModels`). Keys come from the environment first, then the credentials file.
    /// OpenAI-compatible servers on a loopback base URL need no key.
    ///
    /// - Parameters:
    ///   - client: the shared HTTP client; nil uses `SharedHTTPClient.processWide`.
    ///   - policy: retry and timeout behaviour.
    public static func make(
        _ config: ProviderConfig, environment: [String: String], client: SharedHTTPClient?, policy: FaultPolicy = FaultPolicy()
    ) throws -> any ModelProvider {
        guard let vendor = Vendor.named(config.name) else {
            throw ProviderConfigError(
                "unknown provider '\(config.name)'; this factory makes anthropic, openai and gemini (scripted and demo are built in)")
        }
        let model = config.model.isEmpty ? (DefaultModels.model(for: config.name) ?? "") : config.model
        let baseURL = config.baseURL.flatMap { $0.isEmpty ? nil : $0 }
        if let baseURL { try validate(baseURL) }
        let key = try apiKey(for: config.name, environment: environment)
        let keyIsOptional = vendor.loopbackNeedsNoKey && (baseURL.map(BaseURL.isLoopback) ?? false)
        return HTTPModelProvider(
            vendor, model: model, apiKey: keyIsOptional ? key : try require(key, config.name), baseURL: baseURL,
            client: client ?? SharedHTTPClient.processWide, policy: policy)
    }

    /// The key for `provider`: its environment variable, else the credentials file, else nil.
    public static func apiKey(for provider: String, environment: [String: String]) throws -> String? {
        if let variable = keyVariable(for: provider), let value = environment[variable]?.trimmingCharacters(in: .whitespacesAndNewlines),
            !value.isEmpty
        {
            return value
        }
        do {
            return try CredentialsFile.load(environment: environment).apiKey(for: provider)
        } catch {
            throw ProviderConfigError("cannot read the credentials file: \(error.description)")
        }
    }

    /// The provider to use when none was given: the first vendor (anthropic, openai, gemini)
    /// with a key in the environment or the credentials file, with its default model; nil when
    /// there is none (the CLI then uses `demo` and says so). A malformed credentials file is an
    /// error naming its path and line, not silently "no keys".
    public static func defaultProvider(environment: [String: String]) throws -> ProviderConfig? {
        for name in networkProviders where try apiKey(for: name, environment: environment) != nil {
            return ProviderConfig(name: name, model: DefaultModels.model(for: name) ?? "")
        }
        return nil
    }

    private static func require(_ key: String?, _ provider: String) throws -> String {
        guard let key else {
            let variable = keyVariable(for: provider) ?? "the API key"
            throw ProviderConfigError(
                "\(provider) needs an API key: set \(variable) or add api_key under [\(provider)] in ~/.config/kode/credentials.toml")
        }
        return key
    }

    private static func validate(_ baseURL: String) throws {
        guard baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://") else {
            throw ProviderConfigError("the base URL '\(baseURL)' must start with http:// or https://")
        }
    }
}
