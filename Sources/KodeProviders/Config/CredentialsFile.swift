import Foundation
import KodeConfig

/// API keys kept in `~/.config/kode/credentials.toml` (or `$XDG_CONFIG_HOME/kode/credentials.toml`;
/// `KODE_CREDENTIALS` names another file):
///
/// ```toml
/// [anthropic]
/// api_key = "sk-ant-…"
///
/// [openai]
/// api_key = "sk-…"
///
/// [gemini]
/// api_key = "…"
/// ```
///
/// A file of its own rather than a table of config.toml, so it can be kept private (`chmod 600`)
/// while config.toml is shared or checked in. It is read by the configuration system
/// (`KodeConfig`, TOMLKit) against its own schema: an unknown table or key, or a value that is
/// not a string, is an error naming the file, the line and the key. Environment variables win
/// over the file.
public struct CredentialsFile: Sendable, Hashable {
    /// Section name → key → value.
    public var sections: [String: [String: String]]

    /// The tables and keys the file may have.
    public static let schema = ConfigSchema(tables: ["anthropic", "openai", "gemini"].map {
        ConfigTableSpec($0, keys: [ConfigKeySpec("api_key", .string, help: "the \($0) API key")])
    })

    /// An empty set of credentials.
    public init(sections: [String: [String: String]] = [:]) { self.sections = sections }

    /// The `api_key` of `provider`'s section, if present and non-empty.
    public func apiKey(for provider: String) -> String? {
        guard let key = sections[provider]?["api_key"], !key.isEmpty else { return nil }
        return key
    }

    /// Where the file is looked for, given the environment.
    public static func path(environment: [String: String]) -> String? {
        if let explicit = environment["KODE_CREDENTIALS"], !explicit.isEmpty { return explicit }
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty { return config + "/kode/credentials.toml" }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.config/kode/credentials.toml"
    }

    /// Reads the file for `environment`; a missing file is an empty set, a malformed one an error.
    public static func load(environment: [String: String]) throws(ConfigError) -> CredentialsFile {
        guard let path = path(environment: environment),
            let document = try ConfigDocument.load(path: path, shownAs: ConfigPaths.shown(path, environment))
        else { return CredentialsFile() }
        return try read(document)
    }

    /// Parses the text of a credentials file; `path` names it in errors.
    public static func parse(_ text: String, path: String) throws(ConfigError) -> CredentialsFile {
        try read(ConfigDocument(text: text, file: path))
    }

    private static func read(_ document: ConfigDocument) throws(ConfigError) -> CredentialsFile {
        let configuration = try Configuration(documents: [document], schema: schema)
        var sections: [String: [String: String]] = [:]
        for table in schema.tables {
            for (key, entry) in configuration.entries(in: table.name) {
                sections[table.name, default: [:]][key] = entry.value.string
            }
        }
        return CredentialsFile(sections: sections)
    }
}
