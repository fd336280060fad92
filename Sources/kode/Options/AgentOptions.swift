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

    @Option(help: ArgumentHelp("A named profile from the configuration ([templates.NAME]) for a new agent.", valueName: "name"))
    var template: String?

    @Option(help: ArgumentHelp("Extended thinking for a new agent: off, low, medium or high (default: the configuration's, else off).", valueName: "level"))
    var thinking: ThinkingLevel?

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

    /// The configuration for a new agent: the flags, else the template (`--template`), else
    /// `[agent]`, `[permissions]` and `[sandbox]` of `configuration`, else the defaults.
    /// `--network` and `--require-confinement` can only turn those on.
    func newConfig(environment: [String: String], configuration: Configuration) throws -> (AgentConfig, notice: String?) {
        let defaults: AgentDefaults
        do {
            defaults = try configuration.agentDefaults(template: template)
        } catch {
            throw CLIError.usage("\(error)")
        }
        let configured = defaults.provider
        if provider == nil, let configured, !ProviderResolver.knownProviders.contains(configured) || configured == "scripted" {
            let table = template.map { configuration["templates.\($0)", "provider"] != nil ? "templates.\($0)" : "agent" } ?? "agent"
            throw CLIError.usage(configuration.error(table: table, key: "provider",
                "unknown provider '\(configured)' in [\(table)] (known: \(ProviderResolver.knownProviders.filter { $0 != "scripted" }.joined(separator: ", ")))").description)
        }
        let (providerConfig, notice) = try ProviderResolver.config(
            name: provider ?? configured, model: model ?? defaults.model,
            baseURL: baseURL ?? defaults.baseURL, script: script.map(absolute), environment: environment)
        let workDir = try resolvedWorkDir()
        var config = AgentConfig(provider: providerConfig, workDir: workDir)
        config.template = defaults.template
        config.permission = defaults.permission
        if let permission {
            config.permission.mode = permission
            config.permission.origins.removeAll { $0.list == .mode }
            config.permission.origins.append(PolicyOrigin(list: .mode, pattern: permission.rawValue, source: "--permission"))
        }
        config.maxSteps = maxSteps ?? defaults.maxSteps
        config.systemPrompt = system ?? defaults.systemPrompt
        config.tools = defaults.tools
        config.allowPaths = defaults.allowPaths.map { Self.resolve($0, against: workDir, environment: environment) }
        config.deniedCommands = defaults.deniedCommands
        config.toolConcurrency = defaults.toolConcurrency
        config.thinking = defaults.thinking(model: providerConfig.model)
        if let thinking { config.thinking.level = thinking }
        config.sandbox = defaults.sandbox
        config.workspace = configuration.workspace
        if let sandbox { config.sandbox.mode = sandbox }
        if network { config.sandbox.network = true }
        if requireConfinement { config.sandbox.requireConfinement = true }
        return (config, notice)
    }

    /// The flags given that only a new agent can take (its manifest is fixed once written) and
    /// that differ from what `stored` holds, each with both values, for a clear refusal with
    /// `--agent ID` instead of silently ignoring them. A flag equal to the stored value is in
    /// effect already (scripts repeat their flags). The provider flags are not among them: they
    /// override the stored provider for one run.
    func conflicts(with stored: AgentConfig) throws -> [String] {
        var out: [String] = []
        func differ(_ flag: String, _ given: String, _ kept: String) {
            if given != kept { out.append("\(flag) \(given) (the agent has \(kept))") }
        }
        if workdir != nil { differ("--workdir", try resolvedWorkDir(), stored.workDir) }
        if let template { differ("--template", template, stored.template ?? "none") }
        if let thinking { differ("--thinking", thinking.rawValue, stored.thinking.level.rawValue) }
        if let permission { differ("--permission", permission.rawValue, stored.permission.mode.rawValue) }
        if let maxSteps { differ("--max-steps", "\(maxSteps)", "\(stored.maxSteps)") }
        if let system { differ("--system", "\"\(system.prefix(40))\"", stored.systemPrompt.map { "\"\($0.prefix(40))\"" } ?? "none") }
        if let sandbox { differ("--sandbox", sandbox.rawValue, stored.sandbox.mode.rawValue) }
        if network && !stored.sandbox.network { out.append("--network (the agent's commands have no network)") }
        if requireConfinement && !stored.sandbox.requireConfinement { out.append("--require-confinement (the agent does not require it)") }
        return out
    }

    /// `~/x` (under `$HOME`) and paths relative to the work directory, made absolute.
    static func resolve(_ path: String, against workDir: String, environment: [String: String]) -> String {
        var expanded = path
        if path == "~" || path.hasPrefix("~/") {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            expanded = home + path.dropFirst()
        }
        let absolute = expanded.hasPrefix("/") ? expanded : workDir + "/" + expanded
        return URL(fileURLWithPath: absolute).standardizedFileURL.path
    }

    func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}

extension PermissionMode: ExpressibleByArgument {}
extension ThinkingLevel: ExpressibleByArgument {}
extension SandboxMode: ExpressibleByArgument {}
