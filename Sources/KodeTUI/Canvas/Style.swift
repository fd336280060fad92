/// What a piece of screen means; the theme decides how it looks.
public enum StyleRole: UInt8, Sendable, Hashable, CaseIterable {
    case text, dim, accent, user, agent, thinking, tool, success, warning, error
    case selection, border, borderFocus, title, status, statusAccent, modal, modalBorder, hint, queued, demo
    // Markdown in the transcript.
    case heading, emphasis, code, codeBlock, link, quote, listMarker
    // Tokens of highlighted code.
    case tokenKeyword, tokenType, tokenString, tokenNumber, tokenComment, tokenFunction, tokenConstant, tokenProperty
    // Diffs.
    case diffAdd, diffRemove, diffHunk, lineNumber

    /// The key used in theme files (`border_focus`, `status_accent`, …).
    public var themeKey: String {
        switch self {
        case .borderFocus: return "border_focus"
        case .statusAccent: return "status_accent"
        case .modalBorder: return "modal_border"
        case .codeBlock: return "code_block"
        case .listMarker: return "list_marker"
        case .tokenKeyword: return "token_keyword"
        case .tokenType: return "token_type"
        case .tokenString: return "token_string"
        case .tokenNumber: return "token_number"
        case .tokenComment: return "token_comment"
        case .tokenFunction: return "token_function"
        case .tokenConstant: return "token_constant"
        case .tokenProperty: return "token_property"
        case .diffAdd: return "diff_add"
        case .diffRemove: return "diff_remove"
        case .diffHunk: return "diff_hunk"
        case .lineNumber: return "line_number"
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
