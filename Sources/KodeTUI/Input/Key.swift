/// One decoded key press.
package enum Key: Sendable, Hashable, CustomStringConvertible {
    /// A printable character (already a full grapheme or scalar).
    case char(Character)
    /// Ctrl plus a lowercase letter (or one of `@[\]^_`).
    case ctrl(Character)
    /// Alt (Meta) plus a character.
    case alt(Character)
    case enter, tab, backTab, backspace, delete, esc
    case up, down, left, right, home, end, pageUp, pageDown, insert
    /// A function key, F1–F12.
    case function(Int)

    /// The spelling used in config files and the help overlay: `ctrl+c`, `shift+tab`, `f1`, `?`.
    package var description: String {
        switch self {
        case .char(" "): return "space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "ctrl+\(c)"
        case .alt(let c): return "alt+\(c)"
        case .enter: return "enter"
        case .tab: return "tab"
        case .backTab: return "shift+tab"
        case .backspace: return "backspace"
        case .delete: return "delete"
        case .esc: return "esc"
        case .up: return "up"
        case .down: return "down"
        case .left: return "left"
        case .right: return "right"
        case .home: return "home"
        case .end: return "end"
        case .pageUp: return "pgup"
        case .pageDown: return "pgdn"
        case .insert: return "insert"
        case .function(let n): return "f\(n)"
        }
    }

    /// Parses a key spelling (see `description`); nil when it is not one.
    package init?(spec: String) {
        let s = spec.lowercased()
        let named: [String: Key] = [
            "enter": .enter, "return": .enter, "tab": .tab, "shift+tab": .backTab, "backtab": .backTab,
            "backspace": .backspace, "delete": .delete, "del": .delete, "esc": .esc, "escape": .esc,
            "up": .up, "down": .down, "left": .left, "right": .right, "home": .home, "end": .end,
            "pgup": .pageUp, "pageup": .pageUp, "pgdn": .pageDown, "pagedown": .pageDown,
            "insert": .insert, "space": .char(" "),
        ]
        if let k = named[s] { self = k; return }
        if s.hasPrefix("ctrl+"), spec.count == 6, let c = s.last {
            self = .ctrl(c)
            return
        }
        if s.hasPrefix("alt+"), spec.count == 5, let c = spec.last {
            self = .alt(c)
            return
        }
        if s.hasPrefix("f"), let n = Int(s.dropFirst()), (1...12).contains(n) {
            self = .function(n)
            return
        }
        if spec.count == 1, let c = spec.first {
            self = .char(c)
            return
        }
        return nil
    }
}

/// What the input reader delivers: keys, pasted text as one unit (never a submit), and mouse
/// reports (when the terminal was asked for them).
package enum InputEvent: Sendable, Hashable {
    case key(Key)
    case paste(String)
    case mouse(MouseEvent)
}
