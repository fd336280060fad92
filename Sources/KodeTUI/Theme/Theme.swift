import KodeConfig

/// How one role looks.
public struct RoleLook: Sendable, Hashable {
    public var fg: ThemeColor
    public var bg: ThemeColor
    /// Used instead of `fg`/`bg` on 8-colour terminals when given.
    public var fg8: ThemeColor?
    public var bg8: ThemeColor?
    public var bold: Bool
    public var reverse: Bool
    public var underline: Bool
    public var dim: Bool

    /// A look; defaults keep the terminal's colours.
    public init(fg: ThemeColor = .terminalDefault, bg: ThemeColor = .terminalDefault, fg8: ThemeColor? = nil, bg8: ThemeColor? = nil, bold: Bool = false, reverse: Bool = false, underline: Bool = false, dim: Bool = false) {
        self.fg = fg
        self.bg = bg
        self.fg8 = fg8
        self.bg8 = bg8
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
        self.dim = dim
    }

    /// Foreground and background numbers for a terminal with `colors` colours (-1 = default).
    public func colorNumbers(colors: Int) -> (fg: Int, bg: Int) {
        if colors < 8 { return (-1, -1) }
        if colors < 256 {
            return ((fg8 ?? fg).number(colors: colors), (bg8 ?? bg).number(colors: colors))
        }
        return (fg.number(colors: colors), bg.number(colors: colors))
    }
}

/// A set of looks for every semantic role, loaded from `themes/NAME.toml`.
public struct Theme: Sendable, Hashable {
    public var name: String
    /// True when the theme uses no colour at all (attributes only).
    public var isMonochrome: Bool
    package var looks: [StyleRole: RoleLook]

    /// The look for `role` (plain when the theme does not mention it).
    public func look(_ role: StyleRole) -> RoleLook { looks[role] ?? RoleLook() }

    /// Parses a theme file (TOML, read by KodeConfig's reader). Unknown roles and keys, bad
    /// colours and bad attributes are `ConfigError`s naming the file, the line and the key.
    package static func parse(_ text: String, file: String) throws -> Theme {
        let document = try ConfigDocument(text: text, file: file)
        var name = file
        var looks: [StyleRole: RoleLook] = [:]
        let rolesByKey = Dictionary(uniqueKeysWithValues: StyleRole.allCases.map { ($0.themeKey, $0) })
        for (table, value) in document.root.sorted(by: { $0.key < $1.key }) {
            guard case .table(let values) = value else {
                guard table == "name", let string = value.string else {
                    throw document.error(at: [table], "unknown key '\(table)' at the top level of a theme (known: name, and one table per role)")
                }
                name = string
                continue
            }
            guard let role = rolesByKey[table] else {
                throw document.error(at: [table], "unknown role [\(table)]; known roles: \(StyleRole.allCases.map(\.themeKey).joined(separator: ", "))")
            }
            var look = RoleLook()
            for (key, value) in values.sorted(by: { $0.key < $1.key }) {
                func color() throws -> ThemeColor {
                    guard let c = ThemeColor.parse(value) else {
                        throw document.error(at: [table, key], "'\(key)' in [\(table)] must be \"default\", a colour name (\(ThemeColor.names.joined(separator: ", "))) or 0-255")
                    }
                    return c
                }
                func flag() throws -> Bool {
                    guard let b = value.bool else { throw document.error(at: [table, key], "'\(key)' in [\(table)] must be true or false") }
                    return b
                }
                switch key {
                case "fg": look.fg = try color()
                case "bg": look.bg = try color()
                case "fg8": look.fg8 = try color()
                case "bg8": look.bg8 = try color()
                case "bold": look.bold = try flag()
                case "reverse": look.reverse = try flag()
                case "underline": look.underline = try flag()
                case "dim": look.dim = try flag()
                default: throw document.error(at: [table, key], "unknown key '\(key)' in [\(table)] (known: fg, bg, fg8, bg8, bold, reverse, underline, dim)")
                }
            }
            looks[role] = look
        }
        let mono = looks.values.allSatisfy { $0.fg == .terminalDefault && $0.bg == .terminalDefault && $0.fg8 == nil && $0.bg8 == nil }
        return Theme(name: name, isMonochrome: mono, looks: looks)
    }
}

/// A theme that cannot be used, with the file and the reason.
public struct ThemeError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var message: String
    public var description: String { "\(file): \(message)" }
}
