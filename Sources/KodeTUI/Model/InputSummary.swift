import Foundation
import KodeKernel

/// Human renderings of a tool call's input: a command as `$ …`, a write as a path and size, an
/// edit as a diff summary. Everything returned is sanitized.
package enum InputSummary {
    /// Tools `oneLine` knows how to summarize (others use the kernel's input preview).
    package static let knownTools: Set<String> = ["bash_run", "fs_write", "fs_edit", "fs_read", "fs_glob", "fs_grep"]

    /// One line for a tool cell or the modal header.
    package static func oneLine(tool: String, input: JSONValue) -> String {
        let obj = object(input)
        func str(_ key: String) -> String? { if case .string(let s)? = obj[key] { return s } else { return nil } }
        let text: String
        switch tool {
        case "bash_run":
            // `bash_run {cmd, background?}`; a background command ends in ` &`, as in a shell.
            text = str("cmd").map { "$ " + $0 + (obj["background"] == .bool(true) ? " &" : "") } ?? "$ " + input.compactText
        case "fs_write":
            let content = str("content") ?? ""
            let lines = lineCount(content)
            text = "\(str("path") ?? "?") (\(lines) line\(lines == 1 ? "" : "s"), \(content.utf8.count) bytes)"
        case "fs_edit":
            let old = str("old_string") ?? str("old") ?? ""
            let new = str("new_string") ?? str("new") ?? ""
            text = "\(str("path") ?? "?") (-\(lineCount(old)) +\(lineCount(new)) lines)"
        case "fs_read", "fs_glob", "fs_grep":
            text = str("path") ?? str("pattern") ?? input.compactText
        default:
            text = input.compactText
        }
        return Sanitizer.oneLine(text)
    }

    /// The full input for the expanded view: a diff-like view for writes and edits, JSON otherwise.
    package static func full(_ input: JSONValue) -> String {
        let obj = object(input)
        if case .string(let path)? = obj["path"], case .string(let content)? = obj["content"] {
            return Sanitizer.clean("path: \(path)\n" + content.split(separator: "\n", omittingEmptySubsequences: false).map { "+ " + $0 }.joined(separator: "\n"))
        }
        if case .string(let path)? = obj["path"], case .string(let old)? = obj["old_string"] ?? obj["old"], case .string(let new)? = obj["new_string"] ?? obj["new"] {
            let minus = old.split(separator: "\n", omittingEmptySubsequences: false).map { "- " + $0 }
            let plus = new.split(separator: "\n", omittingEmptySubsequences: false).map { "+ " + $0 }
            return Sanitizer.clean((["path: \(path)"] + minus + plus).joined(separator: "\n"))
        }
        if case .string(let command)? = obj["cmd"] { return Sanitizer.clean("$ " + command) }
        return Sanitizer.clean(pretty(input))
    }

    static func object(_ v: JSONValue) -> [String: JSONValue] {
        if case .object(let o) = v { return o }
        return [:]
    }

    /// Lines as the file tools count them: a final newline ends the last line rather than
    /// starting another, so "a\nb\n" is 2 lines (the cell and the tool's result agree).
    static func lineCount(_ s: String) -> Int {
        guard !s.isEmpty else { return 0 }
        let parts = s.split(separator: "\n", omittingEmptySubsequences: false).count
        return s.hasSuffix("\n") ? parts - 1 : parts
    }

    static func pretty(_ v: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(v) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}
