import ArgumentParser
import Foundation
import KodeConfig

/// `kode config [--json]`: the effective configuration, each value with where it came from.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Print the effective configuration and where each value came from.",
        discussion: """
            Reads ~/.config/kode/config.toml (or $XDG_CONFIG_HOME/kode/config.toml), then the \
            project's .kode/config.toml in the work directory, which overrides it key by key. \
            An unknown key, a wrong type, a permission pattern that does not parse or an unknown \
            tool name (in [agent] or any template) exits 2 naming the file, the line and the key. \
            See docs/CONFIG.md.
            """
    )

    @Option(help: ArgumentHelp("The work directory whose .kode/config.toml to read (default: the current directory).", valueName: "dir"))
    var workdir: String?

    @Flag(help: "Print JSON: the files read and every setting with its value and source.")
    var json = false

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let workDir = workdir.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let settings = try AgentOptions.configuration(environment: environment, workDir: workDir)
        // Patterns and tool names are checked where a new agent would meet them, here too, so a
        // typo in a template shows before anyone picks it.
        do {
            for template in [nil] + settings.templates.map(Optional.some) { _ = try settings.agentDefaults(template: template) }
        } catch {
            throw CLIError.usage("\(error)")
        }
        Output.stdout(json ? try ConfigReport.json(settings) : ConfigReport.text(settings))
    }
}

/// How `kode config` shows a configuration.
enum ConfigReport {
    /// TOML that could be pasted into a file, each value followed by its source as a comment;
    /// keys without a value (decided elsewhere) as comments. Named profiles (`[templates.NAME]`,
    /// `[models.NAME]`) are shown as configured, with the keys they set.
    static func text(_ settings: Configuration) -> String {
        var out = "# files read: " + (settings.files.isEmpty ? "none" : settings.files.joined(separator: ", ")) + "\n"
        for (shown, path, spec, listUnset) in tables(settings) {
            out += "\n[\(shown)]\n"
            let known = Set(spec.keys.map(\.name))
            for key in spec.keys {
                if let entry = settings[path, key.name] {
                    out += "\(key.name) = \(entry.value)  # \(entry.source)\n"
                } else if listUnset {
                    out += "# \(key.name): not set; \(key.help)\n"
                }
            }
            for (key, entry) in settings.entries(in: path) where !known.contains(key) {
                out += "\(key) = \(entry.value)  # \(entry.source)\n"
            }
        }
        let named = settings.schema.tables.filter { $0.named != nil }.map(\.name)
        for name in named where settings.names(in: name).isEmpty {
            out += "\n# [\(name).NAME]: none configured\n"
        }
        return out
    }

    /// Every table to show: its dotted path, its spec and whether unset keys are listed (only
    /// for the top-level tables; a profile's unset key falls back to them).
    static func tables(_ settings: Configuration) -> [(shown: String, path: String, spec: ConfigTableSpec, listUnset: Bool)] {
        var out: [(shown: String, path: String, spec: ConfigTableSpec, listUnset: Bool)] = []
        for table in settings.schema.tables {
            guard let named = table.named?.spec else {
                out.append((table.name, table.name, table, true))
                continue
            }
            for name in settings.names(in: table.name) {
                let shown = "\(table.name).\(ConfigReport.key(name))"
                let path = "\(table.name).\(name)"
                out.append((shown, path, named, false))
                for sub in named.subtables where !settings.entries(in: "\(path).\(sub.name)").isEmpty {
                    out.append(("\(shown).\(sub.name)", "\(path).\(sub.name)", sub, false))
                }
            }
        }
        return out
    }

    /// A profile name as a TOML key: bare when it can be, quoted otherwise (`"claude-opus-4.1"`).
    static func key(_ name: String) -> String {
        let bare = !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
        return bare ? name : ConfigValue.string(name).description
    }

    /// `{"files": [...], "settings": [{"key", "value", "source", "file"?, "line"?}]}`.
    static func json(_ settings: Configuration) throws -> String {
        var rows: [[String: Any]] = []
        for (shown, lookup, spec, _) in tables(settings) {
            var names = spec.keys.map(\.name)
            names += settings.entries(in: lookup).map(\.key).filter { !names.contains($0) }
            for name in names {
                guard let entry = settings[lookup, name] else { continue }
                var row: [String: Any] = ["key": "\(shown).\(name)", "value": plain(entry.value), "source": entry.source.description]
                if case .file(let file, let line) = entry.source {
                    row["file"] = file
                    row["line"] = line
                }
                rows.append(row)
            }
        }
        let data = try JSONSerialization.data(withJSONObject: ["files": settings.files, "settings": rows], options: [.sortedKeys, .prettyPrinted])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private static func plain(_ value: ConfigValue) -> Any {
        switch value {
        case .string(let s), .dateTime(let s): s
        case .integer(let n): n
        case .float(let d): d
        case .bool(let b): b
        case .array(let items): items.map(plain)
        case .table(let t): t.mapValues(plain)
        }
    }
}
