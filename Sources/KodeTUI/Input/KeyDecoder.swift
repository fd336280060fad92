/// Decodes the raw bytes a terminal sends into keys and pastes.
///
/// Handles UTF-8, C0 controls (Ctrl+letter), CSI and SS3 sequences for arrows, Home/End,
/// PgUp/PgDn, Delete, F1–F12 and Shift+Tab, Alt+key as ESC-prefixed characters, and bracketed
/// paste (`ESC[200~ … ESC[201~`), whose content is delivered as one `.paste` even when it
/// contains newlines, and mouse reports: SGR (`ESC[<b;x;yM`, `…m` on release, xterm mode 1006)
/// and the legacy `ESC[M` followed by three bytes. A lone ESC is only known to be a key once no
/// more bytes follow within the Esc delay: the reader then calls `flushPendingEscape()`.
package struct KeyDecoder: Sendable {
    private var buffer: [UInt8] = []
    private var pasting = false
    private var pasteBytes: [UInt8] = []

    /// A decoder with nothing pending.
    package init() {}

    /// True when bytes are waiting for more (an ESC or an unfinished sequence).
    package var hasPending: Bool { !buffer.isEmpty }

    /// Feeds bytes; returns the events they complete.
    package mutating func feed(_ bytes: some Sequence<UInt8>) -> [InputEvent] {
        var out: [InputEvent] = []
        for b in bytes {
            if pasting {
                pasteBytes.append(b)
                if pasteBytes.count >= 6, pasteBytes.suffix(6) == [0x1B, 0x5B, 0x32, 0x30, 0x31, 0x7E] {
                    pasteBytes.removeLast(6)
                    out.append(.paste(String(decoding: pasteBytes, as: UTF8.self)))
                    pasteBytes.removeAll()
                    pasting = false
                }
                continue
            }
            buffer.append(b)
            decodeBuffer(into: &out)
        }
        return out
    }

    /// The reader saw no further byte within the Esc delay: a pending ESC is the Esc key (or
    /// Alt is not involved); anything else pending is dropped as an unknown sequence.
    package mutating func flushPendingEscape() -> [InputEvent] {
        guard !buffer.isEmpty else { return [] }
        defer { buffer.removeAll() }
        if buffer == [0x1B] { return [.key(.esc)] }
        if buffer.count >= 2, buffer[0] == 0x1B, buffer[1] == 0x1B { return [.key(.esc)] }
        return []
    }

    private mutating func decodeBuffer(into out: inout [InputEvent]) {
        while let first = buffer.first {
            if first == 0x1B {
                guard buffer.count >= 2 else { return }
                let second = buffer[1]
                if second == 0x5B || second == 0x4F {  // CSI or SS3
                    guard let (consumed, event) = parseSequence() else { return }
                    buffer.removeFirst(consumed)
                    if let event { out.append(event) }
                    continue
                }
                if second == 0x1B {  // ESC ESC: the first is a key
                    buffer.removeFirst()
                    out.append(.key(.esc))
                    continue
                }
                // Alt + character.
                buffer.removeFirst()
                guard let (len, scalar) = utf8Scalar() else { buffer.insert(0x1B, at: 0); return }
                buffer.removeFirst(len)
                out.append(.key(.alt(Character(scalar))))
                continue
            }
            if first < 0x20 || first == 0x7F {
                buffer.removeFirst()
                out.append(.key(control(first)))
                continue
            }
            guard let (len, scalar) = utf8Scalar() else { return }
            buffer.removeFirst(len)
            out.append(.key(.char(Character(scalar))))
        }
    }

    private func control(_ b: UInt8) -> Key {
        switch b {
        case 0x0D: return .enter
        case 0x0A: return .ctrl("j")
        case 0x09: return .tab
        case 0x7F, 0x08: return .backspace
        case 0x00: return .ctrl("@")
        case 0x1C...0x1F: return .ctrl(Character(Unicode.Scalar(b + 0x40)))
        default: return .ctrl(Character(Unicode.Scalar(b + 0x60)))
        }
    }

    /// Decodes one UTF-8 scalar at the front; nil when incomplete. Invalid bytes become U+FFFD.
    private func utf8Scalar() -> (Int, Unicode.Scalar)? {
        guard let b0 = buffer.first else { return nil }
        let need: Int
        switch b0 {
        case 0x00...0x7F: return (1, Unicode.Scalar(b0))
        case 0xC2...0xDF: need = 2
        case 0xE0...0xEF: need = 3
        case 0xF0...0xF4: need = 4
        default: return (1, "\u{FFFD}")
        }
        guard buffer.count >= need else { return nil }
        var v = UInt32(b0) & (need == 2 ? 0x1F : need == 3 ? 0x0F : 0x07)
        for i in 1..<need {
            let b = buffer[i]
            guard b & 0xC0 == 0x80 else { return (i, "\u{FFFD}") }
            v = (v << 6) | UInt32(b & 0x3F)
        }
        return (need, Unicode.Scalar(v) ?? "\u{FFFD}")
    }

    /// Parses `ESC [ params final` or `ESC O final`. Returns nil when incomplete; a nil event
    /// for a complete but unknown sequence (dropped, never shown).
    private mutating func parseSequence() -> (Int, InputEvent?)? {
        // Legacy mouse report: `ESC [ M` and three bytes (button + 32, x + 32, y + 32), which
        // may be any byte, so they are not a CSI's parameters.
        if buffer[1] == 0x5B, buffer.count >= 3, buffer[2] == 0x4D {
            guard buffer.count >= 6 else { return nil }
            let event = MouseEvent(button: Int(buffer[3]) - 32, x: Int(buffer[4]) - 32, y: Int(buffer[5]) - 32, released: false)
            return (6, event.map(InputEvent.mouse))
        }
        var i = 2
        while i < buffer.count {
            let b = buffer[i]
            if b >= 0x40 && b <= 0x7E {
                let params = String(decoding: buffer[2..<i], as: UTF8.self)
                let final = Character(Unicode.Scalar(b))
                return (i + 1, event(params: params, final: final))
            }
            if i > 32 { return (i + 1, nil) }  // runaway sequence: drop it
            i += 1
        }
        return nil
    }

    private mutating func event(params: String, final: Character) -> InputEvent? {
        if params.hasPrefix("<") {
            guard final == "M" || final == "m" else { return nil }
            let numbers = params.dropFirst().split(separator: ";").compactMap { Int($0) }
            guard numbers.count == 3 else { return nil }
            return MouseEvent(button: numbers[0], x: numbers[1], y: numbers[2], released: final == "m").map(InputEvent.mouse)
        }
        let parts = params.split(separator: ";").map(String.init)
        let modifier = parts.count > 1 ? Int(parts[1]) ?? 1 : 1
        switch final {
        case "A": return .key(modifier == 5 ? .ctrl("p") : .up)
        case "B": return .key(modifier == 5 ? .ctrl("n") : .down)
        case "C": return .key(.right)
        case "D": return .key(.left)
        case "H": return .key(.home)
        case "F": return .key(.end)
        case "Z": return .key(.backTab)
        case "P": return .key(.function(1))
        case "Q": return .key(.function(2))
        case "R": return .key(.function(3))
        case "S": return .key(.function(4))
        case "~":
            switch Int(parts.first ?? "") ?? 0 {
            case 200:
                pasting = true
                pasteBytes.removeAll()
                return nil
            case 1, 7: return .key(.home)
            case 2: return .key(.insert)
            case 3: return .key(.delete)
            case 4, 8: return .key(.end)
            case 5: return .key(.pageUp)
            case 6: return .key(.pageDown)
            case 11: return .key(.function(1))
            case 12: return .key(.function(2))
            case 13: return .key(.function(3))
            case 14: return .key(.function(4))
            case 15: return .key(.function(5))
            case 17: return .key(.function(6))
            case 18: return .key(.function(7))
            case 19: return .key(.function(8))
            case 20: return .key(.function(9))
            case 21: return .key(.function(10))
            case 23: return .key(.function(11))
            case 24: return .key(.function(12))
            default: return nil
            }
        default: return nil
        }
    }
}
