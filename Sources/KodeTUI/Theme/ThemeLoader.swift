import Foundation

/// Finds and loads a theme by name or path.
public enum ThemeLoader {
    /// The names of the themes that ship with Kode.
    public static let builtinNames = ["dark", "light", "mono"]

    /// Loads the theme to use. `NO_COLOR` (any non-empty value) forces `mono` whatever was asked.
    /// `name` may be a path to a `.toml` file, or a name looked up in
    /// `$XDG_CONFIG_HOME/kode/themes/` (or `~/.config/kode/themes/`) and then among the built-ins.
    public static func load(name: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Theme {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty {
            return try builtin("mono")
        }
        let name = name ?? "dark"
        if name.hasSuffix(".toml") || name.contains("/") {
            return try loadFile(name)
        }
        let userFile = configDirectory(environment).appendingPathComponent("themes/\(name).toml").path
        if FileManager.default.fileExists(atPath: userFile) {
            return try loadFile(userFile)
        }
        guard BuiltinThemes.files[name] != nil else {
            throw ThemeError(file: name, message: "no such theme; built-in themes: \(builtinNames.joined(separator: ", ")), or put \(name).toml in \(configDirectory(environment).path)/themes/")
        }
        return try builtin(name)
    }

    /// A built-in theme.
    public static func builtin(_ name: String) throws -> Theme {
        guard let text = BuiltinThemes.files[name] else { throw ThemeError(file: name, message: "no built-in theme of that name") }
        return try Theme.parse(text, file: "themes/\(name).toml")
    }

    /// The text of a built-in theme file (what `themes/NAME.toml` contains).
    public static func builtinText(_ name: String) -> String? { BuiltinThemes.files[name] }

    static func loadFile(_ path: String) throws -> Theme {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ThemeError(file: path, message: "cannot read the theme file")
        }
        return try Theme.parse(text, file: path)
    }

    /// `$XDG_CONFIG_HOME/kode` or `~/.config/kode`.
    public static func configDirectory(_ environment: [String: String]) -> URL {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("kode")
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".config/kode")
    }
}
