import Foundation

/// Where the configuration files are.
public enum ConfigPaths {
    /// `$XDG_CONFIG_HOME/kode`, else `~/.config/kode`: the user's config.toml, credentials.toml and
    /// themes/ live here.
    public static func userDirectory(_ environment: [String: String]) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/kode" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.config/kode"
    }

    /// The user's file.
    public static func userFile(_ environment: [String: String]) -> String { userDirectory(environment) + "/config.toml" }

    /// The project's file: `.kode/config.toml` in the work directory (`--workdir`, else the
    /// current directory) — the folder Kode's store uses by default, so a project has one `.kode/`.
    public static func projectFile(workDir: String) -> String { workDir + "/.kode/config.toml" }

    /// `path` as shown to people: `~/…` under `$HOME`.
    public static func shown(_ path: String, _ environment: [String: String]) -> String {
        guard let home = environment["HOME"], !home.isEmpty, home != "/" else { return path }
        let prefix = home.hasSuffix("/") ? home : home + "/"
        return path.hasPrefix(prefix) ? "~/" + path.dropFirst(prefix.count) : path
    }
}
