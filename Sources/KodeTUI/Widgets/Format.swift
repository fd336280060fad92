import Foundation

/// Small human formats shared by the widgets.
package enum Format {
    /// `840ms`, `3.2s`, `2m05s`.
    package static func duration(_ ms: Double) -> String {
        if ms < 1000 { return "\(Int(ms.rounded()))ms" }
        let s = ms / 1000
        if s < 60 { return String(format: "%.1fs", s) }
        let m = Int(s) / 60
        return String(format: "%dm%02ds", m, Int(s) % 60)
    }

    /// `1.2k`, `35k`, `1.4M`.
    package static func count(_ n: Int) -> String {
        if n < 1000 { return "\(n)" }
        if n < 10_000 { return String(format: "%.1fk", Double(n) / 1000) }
        if n < 1_000_000 { return "\(n / 1000)k" }
        return String(format: "%.1fM", Double(n) / 1_000_000)
    }

    /// `HH:mm:ss` in UTC (stable in tests and across SSH hosts).
    package static func clock(_ date: Date) -> String {
        let s = Int(date.timeIntervalSince1970) % 86_400
        return String(format: "%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
    }

    /// A path with the home directory shown as `~`.
    package static func homeRelative(_ path: String) -> String {
        let home = FileManager.default.homeDirectoryForCurrentUser.path
        guard !home.isEmpty, home != "/", path == home || path.hasPrefix(home + "/") else { return path }
        return "~" + path.dropFirst(home.count)
    }
}
