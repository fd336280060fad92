import ArgumentParser
import Foundation
import KodeConfig
import KodeKernel

/// How to build or override an agent's configuration; shared by `kode run` and the app.
struct AgentOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Working directory for tools (default: the current directory).", valueName: "dir"))
    var workdir: String?

    @Option(help: ArgumentHelp("Model provider: anthropic, openai, gemini, scripted or demo.", valueName: "name"))
    var provider: String?

    @Option(help: ArgumentHelp("Model name (default depends on the provider).", valueName: "name"))
    var model: String?

    @Option(name: .customLong("base-url"), help: ArgumentHelp("API base URL, e.g. http://127.0.0.1:11434/v1 for a local server.", valueName: "url"))
    var baseURL: String?

    @Option(help: ArgumentHelp("Script file for --provider scripted.", valueName: "file"))
    var script: String?

    @Option(help: ArgumentHelp("Permission mode: auto, approval or readonly (default approval).", valueName: "mode"))
    var permission: PermissionMode?

    @Option(name: .customLong("max-steps"), help: ArgumentHelp("Most model calls in one turn (default 100).", valueName: "n"))
    var maxSteps: Int?

    @Option(help: ArgumentHelp("System prompt for a new agent.", valueName: "text"))
    var system: String?

    @Option(help: ArgumentHelp("What a new agent's commands may write: read-only, workspace-write (default) or full.", valueName: "mode"))
    var sandbox: SandboxMode?

    @Flag(help: "Let a new agent's commands use the network (off by default).")
    var network = false

    @Flag(name: .customLong("require-confinement"), help: "Refuse a new agent's commands where the sandbox cannot be enforced, instead of running them unconfined with a warning.")
    var requireConfinement = false

    func validate() throws {
        if let maxSteps, maxSteps < 1 { throw ValidationError("--max-steps must be at least 1") }
        if let provider, !ProviderResolver.knownProviders.contains(provider) {
            throw ValidationError("unknown provider '\(provider)' (expected one of: \(ProviderResolver.knownProviders.joined(separator: ", ")))")
        }
        if provider == "scripted" && script == nil { throw ValidationError("--provider scripted needs --script FILE") }
    }

    /// The working directory, checked to exist.
    func resolvedWorkDir() throws -> String {
        let path = workdir ?? FileManager.default.currentDirectoryPath
        let url = URL(fileURLWithPath: path).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError.usage("working directory \(url.path) does not exist or is not a directory")
        }
        return url.resolvingSymlinksInPath().path
    }

    /// The settings for this work directory: the user's config.toml, then the project's
    /// `.kode/config.toml` in `--workdir` (else the current directory). A bad file is a usage
    /// error (exit 2) naming the file, the line and the key.
    func configuration(environment: [String: String]) throws -> Configuration {
        try Self.configuration(environment: environment, workDir: workdir.map(absolute))
    }

    /// The settings for `workDir` (nil: the current directory); errors are usage errors.
    static func configuration(environment: [String: String], workDir: String?) throws -> Configuration {
        do {
            return try Configuration.load(environment: environment, workDir: workDir)
        } catch {
            throw CLIError.usage(error.description)
        }
    }

    /// The configuration for a new agent: the flags, else `[agent]` and `[sandbox]` of
    /// `configuration`, else the defaults. `--network` and `--require-confinement` can only turn
    /// those on.
    func newConfig(environment: [String: String], configuration: Configuration) throws -> (AgentConfig, notice: String?) {
        let configured = configuration.agentString("provider")
        if provider == nil, let configured, !ProviderResolver.knownProviders.contains(configured) || configured == "scripted" {
            throw CLIError.usage(configuration.error(table: "agent", key: "provider",
                "unknown provider '\(configured)' in [agent] (known: \(ProviderResolver.knownProviders.filter { $0 != "scripted" }.joined(separator: ", ")))").description)
        }
        let (providerConfig, notice) = try ProviderResolver.config(
            name: provider ?? configured, model: model ?? configuration.agentString("model"),
            baseURL: baseURL ?? configuration.agentString("base_url"), script: script.map(absolute), environment: environment)
        var config = AgentConfig(provider: providerConfig, workDir: try resolvedWorkDir())
        config.permission.mode = permission ?? configuration.permissionMode
        config.maxSteps = maxSteps ?? configuration.maxSteps
        config.systemPrompt = system ?? configuration.agentString("system_prompt")
        config.sandbox = configuration.sandbox
        config.workspace = configuration.workspace
        if let sandbox { config.sandbox.mode = sandbox }
        if network { config.sandbox.network = true }
        if requireConfinement { config.sandbox.requireConfinement = true }
        return (config, notice)
    }

    func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}

extension PermissionMode: ExpressibleByArgument {}
extension SandboxMode: ExpressibleByArgument {}
