import Foundation

/// Reads `[keys]` from `~/.config/kode/config.toml`: `command = "key"` or `command = ["k1", "k2"]`,
/// e.g. `interrupt = "ctrl+c"`, `approve = ["y", "Y"]`. Unknown commands and keys are errors that
/// name the file and the entry.
package enum KeyConfig {
    /// The overrides in `text` (a whole config.toml).
    package static func overrides(fromTOML text: String, file: String) throws -> [Command: [Key]] {
        let doc = try TOMLSubset.parse(text, file: file)
        guard let keys = doc["keys"] else { return [:] }
        var result: [Command: [Key]] = [:]
        for (name, value) in keys {
            guard let command = Command(rawValue: name) else {
                throw ConfigError(file: file, message: "[keys] unknown command '\(name)'; commands: \(Command.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let specs: [String]
            switch value {
            case .string(let s): specs = [s]
            case .array(let items): specs = items.compactMap(\.string)
            default: throw ConfigError(file: file, message: "[keys] \(name): expected a key like \"ctrl+c\" or a list of them")
            }
            var parsed: [Key] = []
            for spec in specs {
                guard let key = Key(spec: spec) else {
                    throw ConfigError(file: file, message: "[keys] \(name): unknown key '\(spec)' (examples: ctrl+c, alt+x, esc, enter, tab, shift+tab, up, pgdn, f1, y)")
                }
                parsed.append(key)
            }
            result[command] = parsed
        }
        return result
    }

    /// The keymap from the user's config file, or the defaults when there is none.
    package static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Keymap {
        let path = ThemeLoader.configDirectory(environment).appendingPathComponent("config.toml").path
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            return Keymap()
        }
        return Keymap(overrides: try overrides(fromTOML: text, file: path))
    }
}

/// A config file entry that cannot be used: the file and what is wrong.
package struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    package var file: String
    package var message: String
    package var description: String { "\(file): \(message)" }
}
