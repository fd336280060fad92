/// One short line describing a tool call, for approval prompts and audit feeds:
/// `$ git status` for `bash_run`, `write src/a.swift (12 lines, 304 bytes)` for `fs_write`,
/// `edit src/a.swift: -1 +3 lines (all occurrences)` for `fs_edit`, compact JSON otherwise.
///
/// Control characters (newlines, escape sequences) are shown as visible escapes, and the line
/// is cut to `maxLength` characters, so untrusted input can neither break a layout nor drive a terminal.
package enum ToolInputPreview {
    /// The longest preview, in characters.
    package static let maxLength = 200

    /// The preview for a call of tool `name` with `input`.
    package static func render(name: String, input: JSONValue) -> String {
        let text: String
        switch name {
        case "bash_run":
            if let command = input["cmd"]?.stringValue {
                let background = input["background"]?.boolValue == true ? " &" : ""
                // First, so a long command cannot push it out of the modal: this one asks for more.
                let widening = input["sandbox"]?.stringValue.map { "[sandbox: \($0)] " } ?? ""
                text = widening + "$ " + command + background
            } else {
                text = fallback(name, input)
            }
        case "fs_write":
            if let path = input["path"]?.stringValue, let content = input["content"]?.stringValue {
                let lines = TextFile.lineCount(content), bytes = content.utf8.count
                text = "write \(path) (\(lines) line\(lines == 1 ? "" : "s"), \(bytes) byte\(bytes == 1 ? "" : "s"))"
            } else {
                text = fallback(name, input)
            }
        case "fs_edit":
            if let path = input["path"]?.stringValue, let old = input["old_string"]?.stringValue, let new = input["new_string"]?.stringValue {
                let all = input["replace_all"]?.boolValue == true ? " (all occurrences)" : ""
                text = "edit \(path): -\(TextFile.lineCount(old)) +\(TextFile.lineCount(new)) lines\(all)"
            } else {
                text = fallback(name, input)
            }
        default:
            text = fallback(name, input)
        }
        return bounded(escaped(text))
    }

    private static func fallback(_ name: String, _ input: JSONValue) -> String {
        "\(name) \(input.compactText)"
    }

    /// Makes control characters visible: `\n`, `\t`, `\r`, and `\u{1B}`-style escapes for the rest.
    static func escaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case _ where scalar.value < 0x20 || (0x7f...0x9f).contains(scalar.value):
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func bounded(_ text: String) -> String {
        text.count > maxLength ? String(text.prefix(maxLength - 1)) + "…" : text
    }
}
