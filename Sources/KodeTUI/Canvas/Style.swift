/// What a piece of screen means; the theme decides how it looks.
public enum StyleRole: UInt8, Sendable, Hashable, CaseIterable {
    case text, dim, accent, user, agent, thinking, tool, success, warning, error
    case selection, border, borderFocus, title, status, statusAccent, modal, modalBorder, hint, queued, demo

    /// The key used in theme files (`border_focus`, `status_accent`, …).
    public var themeKey: String {
        switch self {
        case .borderFocus: return "border_focus"
        case .statusAccent: return "status_accent"
        case .modalBorder: return "modal_border"
        default: return String(describing: self)
        }
    }
}

/// A semantic style: a role plus emphasis. Two bytes, so a cell stays small.
public struct Style: Sendable, Hashable {
    public var role: StyleRole
    public var bold: Bool
    public var reverse: Bool
    public var underline: Bool

    /// A style for `role`.
    public init(_ role: StyleRole, bold: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.role = role
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
    }

    /// Plain text.
    public static let text = Style(.text)
}
