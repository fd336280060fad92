import Foundation

/// API keys kept in a small TOML file, `~/.config/kode/credentials.toml` (or
/// `$XDG_CONFIG_HOME/kode/credentials.toml`; `KODE_CREDENTIALS` names another file):
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
/// Only this subset of TOML is read: `[section]` headers, `key = "string"` pairs (basic strings
/// with `\"`, `\\`, `\n`, `\t` escapes, or 'literal' strings), blank lines and `#` comments.
/// Environment variables win over the file. Keep the file private (`chmod 600`).
public struct CredentialsFile: Sendable, Hashable {
    /// Section name → key → value.
    public var sections: [String: [String: String]]

    /// Why the file could not be read, with its path and line.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The file.
        public var path: String
        /// 1-based line number.
        public var line: Int
        /// What is wrong there.
        public var reason: String
        /// "path:line: reason".
        public var description: String { "\(path):\(line): \(reason)" }
    }

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
    public static func load(environment: [String: String]) throws(ParseError) -> CredentialsFile {
        guard let path = path(environment: environment),
            let data = FileManager.default.contents(atPath: path)
        else { return CredentialsFile() }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    /// Parses the text of a credentials file; `path` is only used in errors.
    public static func parse(_ text: String, path: String) throws(ParseError) -> CredentialsFile {
        var sections: [String: [String: String]] = [:]
        var current = ""
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = offset + 1
            let line = rawLine.trimmingCharacters(in: .whitespaces.union(["\r"]))
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else {
                    throw ParseError(path: path, line: lineNumber, reason: "a section header must look like [name]")
                }
                current = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw ParseError(path: path, line: lineNumber, reason: "expected key = \"value\"")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                throw ParseError(path: path, line: lineNumber, reason: "a key must be letters, digits, '_' or '-'")
            }
            let valueText = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            do {
                sections[current, default: [:]][key] = try string(valueText)
            } catch {
                throw ParseError(path: path, line: lineNumber, reason: error.reason)
            }
        }
        return CredentialsFile(sections: sections)
    }

    private struct ValueError: Error { var reason: String }

    /// A quoted TOML string followed by nothing but an optional comment.
    private static func string(_ text: String) throws(ValueError) -> String {
        guard let quote = text.first, quote == "\"" || quote == "'" else {
            throw ValueError(reason: "values must be quoted strings")
        }
        var result = ""
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let character = text[index]
            if character == quote {
                let rest = text[text.index(after: index)...].trimmingCharacters(in: .whitespaces)
                guard rest.isEmpty || rest.hasPrefix("#") else { throw ValueError(reason: "unexpected text after the closing quote") }
                return result
            }
            if character == "\\" && quote == "\"" {
                index = text.index(after: index)
                guard index < text.endIndex else { break }
                switch text[index] {
                case "\"": result.append("\"")
                case "\\": result.append("\\")
                case "n": result.append("\n")
                case "t": result.append("\t")
                default: throw ValueError(reason: "unsupported escape \\\(text[index])")
                }
            } else {
                result.append(character)
            }
            index = text.index(after: index)
        }
        throw ValueError(reason: "unterminated string")
    }
}
