import Foundation

/// What the terminal can show, decided once at start.
public struct TerminalCapabilities: Sendable, Hashable {
    /// UTF-8 locale: Unicode borders and glyphs; otherwise ASCII.
    public var unicode: Bool
    /// 0 (no colour), 8 or 256.
    public var colors: Int

    /// Capabilities given explicitly.
    public init(unicode: Bool, colors: Int) {
        self.unicode = unicode
        self.colors = colors
    }

    /// True when the locale (LC_ALL, then LC_CTYPE, then LANG) names UTF-8.
    public static func localeIsUTF8(_ env: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        for key in ["LC_ALL", "LC_CTYPE", "LANG"] {
            if let v = env[key], !v.isEmpty {
                let l = v.lowercased()
                return l.contains("utf-8") || l.contains("utf8")
            }
        }
        return false
    }
}
