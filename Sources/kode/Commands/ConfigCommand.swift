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
            An unknown key or a wrong type exits 2 naming the file, the line and the key. \
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
        Output.stdout(json ? try ConfigReport.json(settings) : ConfigReport.text(settings))
    }
}

/// How `kode config` shows a configuration.
enum ConfigReport {
    /// TOML that could be pasted into a file, each value followed by its source as a comment;
    /// keys without a value (decided elsewhere) as comments.
    static func text(_ settings: Configuration) -> String {
        var out = "# files read: " + (settings.files.isEmpty ? "none" : settings.files.joined(separator: ", ")) + "\n"
        for table in settings.schema.tables {
            out += "\n[\(table.name)]\n"
            let known = Set(table.keys.map(\.name))
            for key in table.keys {
                if let entry = settings[table.name, key.name] {
                    out += "\(key.name) = \(entry.value)  # \(entry.source)\n"
                } else {
                    out += "# \(key.name): not set; \(key.help)\n"
                }
            }
            for (key, entry) in settings.entries(in: table.name) where !known.contains(key) {
                out += "\(key) = \(entry.value)  # \(entry.source)\n"
            }
        }
        return out
    }

    /// `{"files": [...], "settings": [{"key", "value", "source", "file"?, "line"?}]}`.
    static func json(_ settings: Configuration) throws -> String {
        var rows: [[String: Any]] = []
        for table in settings.schema.tables {
            var names = table.keys.map(\.name)
            names += settings.entries(in: table.name).map(\.key).filter { !names.contains($0) }
            for name in names {
                guard let entry = settings[table.name, name] else { continue }
                var row: [String: Any] = ["key": "\(table.name).\(name)", "value": plain(entry.value), "source": entry.source.description]
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
