import KodeConfig

/// A colour as a theme names it.
public enum ThemeColor: Sendable, Hashable {
    /// The terminal's own foreground or background (kept, never painted over).
    case terminalDefault
    /// One of the 8 basic colours, 0–7 (black, red, green, yellow, blue, magenta, cyan, white).
    case basic(Int)
    /// An xterm 256-colour palette index.
    case indexed(Int)

    static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// Parses `"default"`, a basic colour name, or a palette index 0–255.
    package static func parse(_ value: ConfigValue) -> ThemeColor? {
        switch value {
        case .integer(let n) where (0...255).contains(n): return .indexed(n)
        case .string(let s):
            if s == "default" { return .terminalDefault }
            if let i = names.firstIndex(of: s) { return .basic(i) }
            return nil
        default: return nil
        }
    }

    /// The colour number for a terminal with `colors` colours (-1 means the terminal's default).
    package func number(colors: Int) -> Int {
        switch self {
        case .terminalDefault: return -1
        case .basic(let i): return i
        case .indexed(let n): return colors >= 256 ? n : ThemeColor.nearestBasic(n)
        }
    }

    /// The nearest of the 8 basic colours for a 256-palette index (for 8-colour terminals).
    package static func nearestBasic(_ n: Int) -> Int {
        if n < 8 { return n }
        if n < 16 { return n - 8 }
        if n >= 232 { return n < 244 ? 0 : 7 }
        let c = n - 16
        let r = c / 36, g = (c / 6) % 6, b = c % 6
        // Each channel on/off at the midpoint of the cube; grey-ish levels fall back to white/black.
        let bits = (r >= 3 ? 1 : 0) | (g >= 3 ? 2 : 0) | (b >= 3 ? 4 : 0)
        if bits == 0 && (r + g + b) >= 5 { return 7 }
        return bits
    }
}
