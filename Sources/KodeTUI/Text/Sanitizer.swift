/// Turns untrusted text (model output, tool output, file names) into text that is safe to draw:
/// nothing in the result can move the cursor, change colours, set the title, reorder text or
/// ring the bell.
///
/// - ESC becomes `␛`, so `ESC [ 3 1 m` shows as `␛[31m` and an OSC title sequence shows as `␛]0;…`.
/// - Other C0 controls become `\xNN` (and `\r` becomes the two characters `\r`); tabs expand to
///   the next multiple of `tabWidth`; newlines are kept (or shown as `\n` with `keepNewlines: false`).
/// - C1 controls (U+0080–U+009F, including the 8-bit CSI U+009B) and DEL become `\u{NN}`-style
///   visible escapes.
/// - Bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) become `<U+202E>`, so
///   a file name cannot display reversed.
package enum Sanitizer {
    /// The sanitized form of `text`.
    package static func clean(_ text: String, tabWidth: Int = 4, keepNewlines: Bool = true) -> String {
        // Fast path: printable ASCII plus newlines needs no work and no allocation.
        var needsWork = false
        for b in text.utf8 where b < 0x20 || b >= 0x7F {
            if b == 0x0A && keepNewlines { continue }
            needsWork = true
            break
        }
        if !needsWork { return text }

        var out = String.UnicodeScalarView()
        var column = 0
        func append(_ s: String) {
            out.append(contentsOf: s.unicodeScalars)
            column += s.unicodeScalars.count
        }
        for scalar in text.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0x0A:
                if keepNewlines {
                    out.append(scalar)
                    column = 0
                } else {
                    append("\\n")
                }
            case 0x09:
                let spaces = tabWidth - (column % max(tabWidth, 1))
                append(String(repeating: " ", count: spaces))
            case 0x0D:
                append("\\r")
            case 0x1B:
                append("\u{241B}")
            case 0x00...0x1F:
                append("\\x" + hex2(v))
            case 0x7F:
                append("\\x7f")
            case 0x80...0x9F:
                append("\\u{" + hex2(v) + "}")
            case 0x202A...0x202E, 0x2066...0x2069:
                append("<U+" + String(v, radix: 16, uppercase: true) + ">")
            default:
                out.append(scalar)
                column += 1
            }
        }
        return String(out)
    }

    /// One line for a single-line slot (a title, a file name, a status field): newlines shown as `\n`.
    package static func oneLine(_ text: String) -> String {
        clean(text, keepNewlines: false)
    }

    private static func hex2(_ v: UInt32) -> String {
        let s = String(v, radix: 16)
        return s.count < 2 ? "0" + s : s
    }
}
