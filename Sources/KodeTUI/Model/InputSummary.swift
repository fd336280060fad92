import Foundation
import KodeKernel

/// Human renderings of a tool call's input: a command as `$ …`, a write as a path and size, an
/// edit as a diff summary. Everything returned is sanitized.
package enum InputSummary {
    /// Tools `oneLine` knows how to summarize (others use the kernel's input preview).
    package static let knownTools: Set<String> = ["bash_run", "bash_logs", "bash_kill", "fs_write", "fs_edit", "fs_multi_edit", "fs_read", "fs_glob", "fs_grep", "todo_write", "todo_read", "task_run", "room_send", "skill"]

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
        case "fs_multi_edit":
            let n = obj["edits"]?.arrayValue?.count ?? 0
            text = "\(str("path") ?? "?") (\(n) edit\(n == 1 ? "" : "s"))"
        case "fs_read":
            // `fs_read {path, offset?, limit?}`: the range asked for, as lines first–last.
            let offset = obj["offset"]?.intValue, limit = obj["limit"]?.intValue
            var range = ""
            if let limit { range = " lines \(offset ?? 1)–\((offset ?? 1) + limit - 1)" } else if let offset { range = " from line \(offset)" }
            text = (str("path") ?? "?") + range
        case "fs_grep":
            let pattern = str("pattern").map { JSONValue.string($0).compactText } ?? "?"
            text = pattern + " in " + (str("path") ?? ".") + (str("glob").map { " (\($0))" } ?? "")
        case "fs_glob":
            text = str("pattern") ?? input.compactText
        case "todo_write":
            let todos = obj["todos"]?.arrayValue ?? []
            let done = todos.filter { $0["status"]?.stringValue == "completed" }.count
            let active = todos.filter { $0["status"]?.stringValue == "in_progress" }.count
            text = "\(todos.count) todo\(todos.count == 1 ? "" : "s"): \(done) done" + (active > 0 ? ", \(active) in progress" : "")
        case "todo_read":
            text = "the todo list"
        case "bash_logs", "bash_kill":
            text = str("shell_id") ?? input.compactText
        case "task_run":
            // `task_run {task, template?, tools?, model?}`: the task's first line, then what shapes the child.
            let task = (str("task") ?? "?").split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
            var shape: [String] = []
            if let template = str("template") { shape.append(template) }
            if let tools = obj["tools"]?.arrayValue { shape.append(tools.compactMap(\.stringValue).joined(separator: ", ")) }
            if let model = str("model") { shape.append(model) }
            text = task + (shape.isEmpty ? "" : " [" + shape.joined(separator: "; ") + "]")
        case "room_send":
            text = (str("room").map { "#\($0) " } ?? "") + (str("text") ?? "?")
        case "skill":
            text = str("name") ?? input.compactText
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

    /// The input as pretty JSON (keys sorted), sanitized: what an expanded cell shows.
    package static func json(_ input: JSONValue) -> String {
        Sanitizer.clean(pretty(input))
    }

    /// Compact JSON text pretty-printed (shown as it is if it does not parse), sanitized.
    package static func json(compact text: String) -> String {
        guard let value = try? JSONValue.parse(text) else { return Sanitizer.clean(text) }
        return json(value)
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
