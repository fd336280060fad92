/// The one width policy of the front end: how many terminal columns a grapheme cluster takes.
///
/// glibc's `wcwidth` and terminals disagree on emoji (❤️, ZWJ families, flags), so Kode does not
/// ask the C library. The policy, chosen to match modern terminals (xterm ≥ 2020, iTerm2,
/// kitty, WezTerm, tmux ≥ 3.2 with UTF-8):
/// - East Asian Wide and Fullwidth characters take 2 columns;
/// - characters with default emoji presentation take 2 columns;
/// - a text-presentation character followed by VS16 (U+FE0F) takes 2 columns;
/// - a ZWJ sequence or a regional-indicator pair is one cluster of width 2;
/// - combining marks, format characters and variation selectors take 0 columns;
/// - everything else takes 1.
/// Where a terminal still disagrees, the canvas pads wide cells so a border never moves.
package enum DisplayWidth {
    /// Columns taken by one grapheme cluster.
    package static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if scalars.count == 1 { return of(first) }
        var hasZWJ = false
        var hasVS16 = false
        var regional = 0
        for s in scalars {
            switch s.value {
            case 0x200D: hasZWJ = true
            case 0xFE0F: hasVS16 = true
            case 0x1F1E6...0x1F1FF: regional += 1
            default: break
            }
        }
        if hasZWJ || regional >= 2 { return 2 }
        if hasVS16 && isEmojiCapable(first) { return 2 }
        let base = of(first)
        if base == 0 {
            // A cluster that starts with a mark (a stray combining character) still shows as one column.
            return 1
        }
        return base
    }

    /// Columns taken by one scalar on its own.
    package static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x300 { return (v < 0x20 || (v >= 0x7F && v < 0xA0)) ? 0 : 1 }
        if isZeroWidth(v) { return 0 }
        if isWide(v) { return 2 }
        return 1
    }

    /// Columns taken by a whole string (the sum over its clusters).
    package static func of(_ text: String) -> Int {
        var total = 0
        var ascii = true
        for b in text.utf8 where b >= 0x80 { ascii = false; break }
        if ascii { return text.utf8.count }
        for c in text { total += of(c) }
        return total
    }

    static func isZeroWidth(_ v: UInt32) -> Bool {
        switch v {
        case 0x0300...0x036F, 0x0483...0x0489, 0x0591...0x05BD, 0x0610...0x061A, 0x064B...0x065F,
            0x0E31, 0x0E34...0x0E3A, 0x0E47...0x0E4E,
            0x1160...0x11FF,  // Hangul medial vowels and final consonants join the syllable.
            0x1AB0...0x1AFF, 0x1DC0...0x1DFF,
            0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x206F,
            0x20D0...0x20FF, 0xFE00...0xFE0F, 0xFE20...0xFE2F, 0xFEFF,
            0x1F3FB...0x1F3FF,  // skin-tone modifiers merge into the emoji they follow.
            0xE0000...0xE0FFF:
            return true
        default:
            break
        }
        guard let scalar = Unicode.Scalar(v) else { return false }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return true
        default: return false
        }
    }

    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
            0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB,
            0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA,
            0x26FD, 0x2705, 0x270A...0x270B, 0x2728, 0x274C, 0x274E, 0x2753...0x2755, 0x2757,
            0x2795...0x2797, 0x27B0, 0x27BF, 0x2B1B...0x2B1C, 0x2B50, 0x2B55,
            0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
            0xFF00...0xFF60, 0xFFE0...0xFFE6,
            0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F202, 0x1F210...0x1F23B,
            0x1F240...0x1F248, 0x1F250...0x1F251, 0x1F260...0x1F265,
            0x1F300...0x1F320, 0x1F32D...0x1F335, 0x1F337...0x1F37C, 0x1F37E...0x1F393,
            0x1F3A0...0x1F3CA, 0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0, 0x1F3F4, 0x1F3F8...0x1F43E,
            0x1F440, 0x1F442...0x1F4FC, 0x1F4FF...0x1F53D, 0x1F54B...0x1F54E, 0x1F550...0x1F567,
            0x1F57A, 0x1F595...0x1F596, 0x1F5A4, 0x1F5FB...0x1F64F, 0x1F680...0x1F6C5, 0x1F6CC,
            0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6D7, 0x1F6DC...0x1F6DF, 0x1F6EB...0x1F6EC,
            0x1F6F4...0x1F6FC, 0x1F7E0...0x1F7EB, 0x1F7F0, 0x1F90C...0x1F93A, 0x1F93C...0x1F945,
            0x1F947...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// Text-presentation symbols that become 2-column emoji with VS16 (❤️, ☀️, ✔️, digits in keycaps…).
    static func isEmojiCapable(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if isWide(v) { return true }
        switch v {
        case 0x23, 0x2A, 0x30...0x39, 0xA9, 0xAE, 0x203C, 0x2049, 0x2122, 0x2139, 0x2194...0x21AA,
            0x2300...0x23FF, 0x24C2, 0x25AA...0x25FE, 0x2600...0x27BF, 0x2934...0x2935,
            0x2B05...0x2B55, 0x3030, 0x303D, 0x3297, 0x3299, 0x1F000...0x1FAFF:
            return true
        default:
            return false
        }
    }
}
