import Foundation
import KodeConfig

/// Reads `[keys]` of the configuration (docs/CONFIG.md): `command = "key"` or
/// `command = ["k1", "k2"]`, e.g. `interrupt = "ctrl+c"`, `approve = ["y", "Y"]`. The schema has
/// checked the types; unknown commands and keys are errors naming the file, the line and the entry.
package enum KeyConfig {
    /// The overrides in `configuration`.
    package static func overrides(from configuration: Configuration) throws(ConfigError) -> [Command: [Key]] {
        var result: [Command: [Key]] = [:]
        for (name, entry) in configuration.entries(in: "keys") {
            guard let command = Command(rawValue: name) else {
                throw configuration.error(table: "keys", key: name, "unknown command '\(name)' in [keys] (known: \(Command.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let specs = entry.value.string.map { [$0] } ?? entry.value.strings ?? []
            var parsed: [Key] = []
            for spec in specs {
                guard let key = Key(spec: spec) else {
                    throw configuration.error(table: "keys", key: name, "'\(name)' in [keys]: unknown key '\(spec)' (examples: ctrl+c, alt+x, esc, enter, tab, shift+tab, up, pgdn, f1, y)")
                }
                parsed.append(key)
            }
            result[command] = parsed
        }
        return result
    }

    /// The overrides in `text`, a whole config.toml (for tests and tools that hold the text).
    package static func overrides(fromTOML text: String, file: String) throws(ConfigError) -> [Command: [Key]] {
        try overrides(from: Configuration(documents: [ConfigDocument(text: text, file: file)]))
    }

    /// The keymap of `configuration` (the defaults where it binds nothing).
    package static func keymap(_ configuration: Configuration) throws(ConfigError) -> Keymap {
        Keymap(overrides: try overrides(from: configuration))
    }
}
