/// Makes untrusted text (model output, tool output, file names) safe to print: control
/// characters, escape sequences and bidirectional overrides become visible escapes such as
/// `\x1b`, so nothing a model or a file says can move the cursor, recolour or retitle the
/// terminal.
enum TerminalText {
    static func safe(_ text: String, keepNewlines: Bool = true) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A where keepNewlines:
                out.unicodeScalars.append(scalar)
            case 0x09:
                out += "    "
            case 0x00...0x1F, 0x7F:
                out += "\\x" + hex(scalar.value, width: 2)
            case 0x80...0x9F:
                out += "\\u{" + hex(scalar.value, width: 4) + "}"
            case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C:
                out += "\\u{" + hex(scalar.value, width: 4) + "}"
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
