import Foundation
import KodeConfig

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
        guard builtinNames.contains(name) else {
            throw ThemeError(file: name, message: "no such theme; built-in themes: \(builtinNames.joined(separator: ", ")), or put \(name).toml in \(configDirectory(environment).path)/themes/")
        }
        return try builtin(name)
    }

    /// A built-in theme.
    public static func builtin(_ name: String) throws -> Theme {
        guard builtinNames.contains(name) else { throw ThemeError(file: name, message: "no built-in theme of that name") }
        guard let text = builtinText(name) else {
            throw ThemeError(file: "themes/\(name).toml", message: "the built-in theme is missing from the resource bundle \(Bundle.module.bundlePath)")
        }
        return try Theme.parse(text, file: "themes/\(name).toml")
    }

    /// The text of a shipped theme file: `Sources/KodeTUI/Resources/themes/NAME.toml`, copied
    /// into the package's resource bundle (which sits beside the `kode` binary).
    package static func builtinText(_ name: String) -> String? {
        guard let url = Bundle.module.url(forResource: name, withExtension: "toml", subdirectory: "themes") else { return nil }
        return try? String(contentsOf: url, encoding: .utf8)
    }

    static func loadFile(_ path: String) throws -> Theme {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ThemeError(file: path, message: "cannot read the theme file")
        }
        return try Theme.parse(text, file: path)
    }

    /// `$XDG_CONFIG_HOME/kode` or `~/.config/kode`.
    package static func configDirectory(_ environment: [String: String]) -> URL {
        URL(fileURLWithPath: ConfigPaths.userDirectory(environment))
    }
}
