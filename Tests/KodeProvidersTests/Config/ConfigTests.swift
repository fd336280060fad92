import Foundation
import KodeKernel
import KodeProviders
import KodeTestSupport
import Testing

@Suite("Provider configuration, keys and pricing")
struct ConfigTests {
    /// Where each test's credentials files live; removed when the test ends.
    private let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory(prefix: "kode-cred") }

    /// A fresh `credentials.toml` (none when `credentials` is nil), in a folder of its own inside
    /// the test's directory, and the environment that points at it.
    private func environment(credentials: String?, extra: [String: String] = [:]) throws -> [String: String] {
        let folder = directory.appending(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("credentials.toml").path
        if let credentials { try credentials.write(toFile: path, atomically: true, encoding: .utf8) }
        return ["KODE_CREDENTIALS": path].merging(extra) { _, new in new }
    }

    @Test func unknownProviderIsAClearError() throws {
        #expect(throws: ProviderConfigError.self) {
            try ProviderFactory.make(ProviderConfig(name: "scripted", model: "x"), environment: [:], client: nil)
        }
        do {
            _ = try ProviderFactory.make(ProviderConfig(name: "mistery", model: "x"), environment: [:], client: nil)
        } catch let error as ProviderConfigError {
            #expect(error.message.contains("unknown provider 'mistery'"))
        }
    }

    @Test func missingKeyNamesTheVariable() throws {
        let env = try environment(credentials: nil)
        for (name, variable) in [("anthropic", "ANTHROPIC_API_KEY"), ("openai", "OPENAI_API_KEY"), ("gemini", "GEMINI_API_KEY")] {
            do {
                _ = try ProviderFactory.make(ProviderConfig(name: name, model: ""), environment: env, client: nil)
                Issue.record("expected a missing-key error for \(name)")
            } catch let error as ProviderConfigError {
                #expect(error.message.contains(variable))
            }
        }
    }

    @Test func emptyModelMeansTheVendorDefault() throws {
        let provider = try ProviderFactory.make(ProviderConfig(name: "gemini", model: ""), environment: ["GEMINI_API_KEY": "k"], client: nil)
        #expect(provider.info == ProviderInfo(name: "gemini", model: "gemini-2.5-flash", baseURL: Vendor.gemini.defaultBaseURL))
    }

    @Test func localhostOpenAINeedsNoKeyButRemoteDoes() throws {
        for base in ["http://localhost:11434/v1", "http://127.0.0.1:8080/v1", "http://[::1]:8000/v1"] {
            let provider = try ProviderFactory.make(ProviderConfig(name: "openai", model: "llama3", baseURL: base), environment: [:], client: nil)
            #expect(provider.info.baseURL == base)
        }
        #expect(throws: ProviderConfigError.self) {
            try ProviderFactory.make(ProviderConfig(name: "openai", model: "m", baseURL: "https://api.groq.com/openai/v1"), environment: [:], client: nil)
        }
        #expect(throws: ProviderConfigError.self) {
            try ProviderFactory.make(ProviderConfig(name: "openai", model: "m", baseURL: "ftp://x"), environment: ["OPENAI_API_KEY": "k"], client: nil)
        }
    }

    @Test func keysComeFromTheEnvironmentThenTheFile() throws {
        let env = try environment(credentials: """
            # my keys
            [anthropic]
            api_key = "from-file" # trailing comment

            [gemini]
            api_key = 'literal\\kept'
            """)
        #expect(try ProviderFactory.apiKey(for: "anthropic", environment: env) == "from-file")
        #expect(try ProviderFactory.apiKey(for: "gemini", environment: env) == "literal\\kept")
        #expect(try ProviderFactory.apiKey(for: "openai", environment: env) == nil)
        var withVariable = env
        withVariable["ANTHROPIC_API_KEY"] = "from-env"
        #expect(try ProviderFactory.apiKey(for: "anthropic", environment: withVariable) == "from-env")
    }

    @Test func malformedCredentialsFileSaysWhereAndWhat() throws {
        let env = try environment(credentials: "[openai]\napi_key = sk-unquoted\n")
        do {
            _ = try ProviderFactory.apiKey(for: "openai", environment: env)
            Issue.record("expected a parse error")
        } catch let error as ProviderConfigError {
            #expect(error.message.contains("credentials.toml:2:"))
            #expect(!error.message.contains("sk-unquoted"))
        }
    }

    @Test func credentialsAreCheckedAgainstTheirSchema() throws {
        let unknown = try environment(credentials: "[openai]\napi_key = \"k\"\napi_kee = \"k\"\n")
        do {
            _ = try ProviderFactory.apiKey(for: "openai", environment: unknown)
            Issue.record("expected an error")
        } catch let error as ProviderConfigError {
            #expect(error.message.contains("credentials.toml:3: unknown key 'api_kee' in [openai] (known: api_key)"))
        }
        let number = try environment(credentials: "[gemini]\napi_key = 12\n")
        #expect(throws: ProviderConfigError.self) { try ProviderFactory.apiKey(for: "gemini", environment: number) }
    }

    @Test func defaultProviderPicksTheFirstVendorWithAKey() throws {
        let none = try environment(credentials: nil)
        #expect(try ProviderFactory.defaultProvider(environment: none) == nil)
        let openai = try environment(credentials: nil, extra: ["OPENAI_API_KEY": "k", "GEMINI_API_KEY": "g"])
        #expect(try ProviderFactory.defaultProvider(environment: openai) == ProviderConfig(name: "openai", model: "gpt-4o-mini"))
        let file = try environment(credentials: "[gemini]\napi_key = \"g\"\n")
        #expect(try ProviderFactory.defaultProvider(environment: file) == ProviderConfig(name: "gemini", model: "gemini-2.5-flash"))
        let broken = try environment(credentials: "[gemini\n")
        #expect(throws: ProviderConfigError.self) { try ProviderFactory.defaultProvider(environment: broken) }
    }

    @Test func credentialsPathFollowsXDGThenHome() {
        #expect(CredentialsFile.path(environment: ["HOME": "/h"]) == "/h/.config/kode/credentials.toml")
        #expect(CredentialsFile.path(environment: ["HOME": "/h", "XDG_CONFIG_HOME": "/x"]) == "/x/kode/credentials.toml")
    }

    @Test func costUsesTheLongestPrefixAndAllFourCounters() throws {
        let usage = TokenUsage(input: 1_000_000, output: 100_000, cacheRead: 1_000_000, cacheWrite: 0)
        let cost = try #require(ModelPricing.cost(model: "claude-sonnet-4-5-20250929", usage: usage))
        #expect(abs(cost - (3 + 1.5 + 0.3)) < 1e-9)
        let mini = try #require(ModelPricing.cost(model: "gpt-4o-mini", usage: TokenUsage(input: 2_000_000)))
        #expect(abs(mini - 0.3) < 1e-9, "gpt-4o-mini must not take gpt-4o's price")
        #expect(ModelPricing.cost(model: "my-local-llama", usage: usage) == nil)
    }
}
