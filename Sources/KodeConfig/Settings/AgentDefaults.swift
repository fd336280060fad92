import KodeKernel

/// What the configuration says a new agent should be, for one template (or none): every value
/// is the template's when it sets it, else the top-level table's (`[agent]`, `[permissions]`,
/// `[sandbox]`), else the default. Pattern lists add up: a template's `allow`, `deny` and
/// `require_approval` come on top of `[permissions]`'s. The command line then overrides it.
public struct AgentDefaults: Sendable, Hashable {
    /// The template applied, if any.
    public var template: String?
    /// `provider`, when set (checked by the CLI, which knows the providers).
    public var provider: String?
    public var model: String?
    public var baseURL: String?
    public var systemPrompt: String?
    public var maxSteps: Int
    /// The tools enabled; nil for all.
    public var tools: [String]?
    /// `thinking`, `thinking_budget`, `expose_thinking`, `retain_thinking` (before `[models.NAME]`, see ``thinking(model:)``).
    public var thinking: ThinkingConfig
    /// The mode and the pattern lists, with where each came from.
    public var permission: PermissionPolicy
    public var allowPaths: [String]
    public var deniedCommands: [String]
    public var toolConcurrency: Int
    public var sandbox: SandboxConfig

    /// Whether the template set `thinking` itself (then `[models.NAME]` does not override it).
    var templateSetThinking: [String: Bool]
    /// The configuration's `[models.NAME]` thinking keys.
    var models: [String: ThinkingOverride]

    struct ThinkingOverride: Sendable, Hashable {
        var level: ThinkingLevel?
        var budget: Int?
        var expose: Bool?
        var retain: Bool?
    }

    /// The thinking settings for `model`: `[models.MODEL]` overrides `[agent]`, a template's own
    /// keys override both.
    public func thinking(model: String) -> ThinkingConfig {
        var result = thinking
        guard let override = models[model] else { return result }
        if templateSetThinking["thinking"] != true, let level = override.level { result.level = level }
        if templateSetThinking["thinking_budget"] != true, let budget = override.budget { result.budgetTokens = budget }
        if templateSetThinking["expose_thinking"] != true, let expose = override.expose { result.expose = expose }
        if templateSetThinking["retain_thinking"] != true, let retain = override.retain { result.retain = retain }
        return result
    }
}

/// `--template NAME` names no template in the configuration.
public struct UnknownTemplateError: Error, Sendable, CustomStringConvertible {
    /// The name asked for.
    public var name: String
    /// The templates that exist.
    public var known: [String]
    /// The files read.
    public var files: [String]

    public var description: String {
        if known.isEmpty {
            let where_ = files.isEmpty ? "no configuration file was found" : "read: " + files.joined(separator: ", ")
            return "unknown template '\(name)': no templates are configured (add a [templates.\(name)] table to ~/.config/kode/config.toml or .kode/config.toml; \(where_))"
        }
        return "unknown template '\(name)' (configured: \(known.joined(separator: ", ")))"
    }
}

extension Configuration {
    /// The templates configured, by name.
    public var templates: [String] { names(in: "templates") }

    /// A new agent's settings with `template` (nil: none) applied. An unknown template is an
    /// ``UnknownTemplateError``; a pattern that does not parse or an unknown tool name is a
    /// ``ConfigError`` at its line.
    public func agentDefaults(template: String?) throws -> AgentDefaults {
        if let template, !templates.contains(template) {
            throw UnknownTemplateError(name: template, known: templates, files: files)
        }
        var reader = LayeredReader(configuration: self, template: template)

        var permission = PermissionPolicy(mode: reader.string("permissions", "mode").flatMap(PermissionMode.init(rawValue:)) ?? .approval)
        permission.origins.append(PolicyOrigin(list: .mode, pattern: permission.mode.rawValue, source: reader.source("permissions", "mode")))
        for (key, list) in [("allow", PolicyOrigin.List.allow), ("deny", .deny), ("require_approval", .requireApproval)] {
            for (pattern, source, table) in reader.list("permissions", key) {
                do {
                    _ = try ToolPattern(parsing: pattern)
                } catch {
                    throw self.error(table: table, key: key, "\(error) in '\(key)' of [\(table)]")
                }
                switch list {
                case .allow: permission.allow.append(pattern)
                case .deny: permission.deny.append(pattern)
                case .requireApproval: permission.requireApproval.append(pattern)
                case .mode: break
                }
                permission.origins.append(PolicyOrigin(list: list, pattern: pattern, source: source))
            }
        }

        let tools = reader.strings("agent", "tools")
        if let tools {
            let known = ToolRegistry.builtins().names
            if let unknown = tools.first(where: { !known.contains($0) }) {
                let table = reader.table(of: "agent", "tools")
                throw self.error(table: table, key: "tools", "unknown tool '\(unknown)' in 'tools' of [\(table)] (known: \(known.sorted().joined(separator: ", ")))")
            }
        }

        var thinking = ThinkingConfig()
        thinking.level = reader.string("agent", "thinking").flatMap(ThinkingLevel.init(rawValue:)) ?? .off
        thinking.budgetTokens = reader.integer("agent", "thinking_budget")
        thinking.expose = reader.bool("agent", "expose_thinking") ?? true
        thinking.retain = reader.bool("agent", "retain_thinking") ?? true

        var sandbox = SandboxConfig()
        sandbox.mode = reader.string("sandbox", "mode").flatMap(SandboxMode.init(rawValue:)) ?? .workspaceWrite
        sandbox.network = reader.bool("sandbox", "network") ?? false
        sandbox.writablePaths = reader.list("sandbox", "writable_paths").map(\.item)
        sandbox.requireConfinement = reader.bool("sandbox", "require_confinement") ?? false
        sandbox.simulateUnavailable = reader.bool("sandbox", "simulate_unavailable") ?? false

        var models: [String: AgentDefaults.ThinkingOverride] = [:]
        for name in names(in: "models") {
            let table = "models." + name
            models[name] = AgentDefaults.ThinkingOverride(
                level: self[table, "thinking"]?.value.string.flatMap(ThinkingLevel.init(rawValue:)),
                budget: self[table, "thinking_budget"]?.value.integer,
                expose: self[table, "expose_thinking"]?.value.bool,
                retain: self[table, "retain_thinking"]?.value.bool)
        }
        var templateSet: [String: Bool] = [:]
        for key in ["thinking", "thinking_budget", "expose_thinking", "retain_thinking"] {
            templateSet[key] = template.map { self["templates." + $0, key] != nil } ?? false
        }

        return AgentDefaults(
            template: template,
            provider: reader.string("agent", "provider"),
            model: reader.string("agent", "model"),
            baseURL: reader.string("agent", "base_url"),
            systemPrompt: reader.string("agent", "system_prompt"),
            maxSteps: reader.integer("agent", "max_steps") ?? 100,
            tools: tools,
            thinking: thinking,
            permission: permission,
            allowPaths: reader.list("permissions", "allow_paths").map(\.item),
            deniedCommands: reader.list("permissions", "denied_commands").map(\.item),
            toolConcurrency: reader.integer("permissions", "tool_concurrency") ?? 4,
            sandbox: sandbox,
            templateSetThinking: templateSet,
            models: models)
    }
}

/// Reads a key from the template's table when it sets it, else from the top-level table, and
/// remembers where each value came from.
private struct LayeredReader {
    let configuration: Configuration
    let template: String?
    var sources: [String: String] = [:]

    init(configuration: Configuration, template: String?) {
        self.configuration = configuration
        self.template = template
    }

    /// `templates.NAME` (for `agent`) or `templates.NAME.TABLE` (for `permissions`, `sandbox`).
    private func templateTable(for table: String) -> String? {
        guard let template else { return nil }
        return table == "agent" ? "templates.\(template)" : "templates.\(template).\(table)"
    }

    /// The table the value of `key` is read from.
    func table(of table: String, _ key: String) -> String {
        if let inner = templateTable(for: table), configuration[inner, key] != nil { return inner }
        return table
    }

    private mutating func entry(_ table: String, _ key: String) -> ConfigEntry? {
        let from = self.table(of: table, key)
        guard let entry = configuration[from, key] else { return nil }
        sources["\(table).\(key)"] = describe(entry.source, templated: from != table)
        return entry
    }

    private func describe(_ source: ConfigSource, templated: Bool) -> String {
        templated ? "template \(template!) (\(source))" : source.description
    }

    mutating func string(_ table: String, _ key: String) -> String? { entry(table, key)?.value.string }
    mutating func integer(_ table: String, _ key: String) -> Int? { entry(table, key)?.value.integer }
    mutating func bool(_ table: String, _ key: String) -> Bool? { entry(table, key)?.value.bool }
    mutating func strings(_ table: String, _ key: String) -> [String]? { entry(table, key)?.value.strings }

    mutating func source(_ table: String, _ key: String) -> String {
        _ = entry(table, key)
        return sources["\(table).\(key)"] ?? "default"
    }

    /// A list key: the top-level table's items, then the template's, each with its source and
    /// the table it is written in.
    mutating func list(_ table: String, _ key: String) -> [(item: String, source: String, table: String)] {
        var out: [(item: String, source: String, table: String)] = []
        var tables = [table]
        if let inner = templateTable(for: table) { tables.append(inner) }
        for name in tables {
            guard let entry = configuration[name, key], let items = entry.value.strings else { continue }
            let source = describe(entry.source, templated: name != table)
            for item in items where !out.contains(where: { $0.item == item }) {
                out.append((item: item, source: source, table: name))
            }
        }
        return out
    }
}
