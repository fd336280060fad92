import Foundation
import KodeKernel

/// The body of a collapsed tool cell in a human form where the tool has one: a write or edit
/// as its diff (folded), a todo list as a checklist, a read as its line range, a search as its
/// counts. Enter expands a cell to its whole diff, its input as JSON and its output.
enum ToolCellLines {
    /// Diff lines a collapsed cell shows before folding.
    static let collapsedDiffLines = 6
    /// Todo items a collapsed cell shows.
    static let collapsedTodos = 12

    static func collapsed(_ cell: ToolCell, width: Int, unicode: Bool) -> [StyledLine]? {
        let body = max(width - 4, 1)
        let elbow = Span(unicode ? "  ⎿ " : "  > ", Style(.dim))
        let pad = Span("    ", .text)
        let output = Sanitizer.clean(cell.output)
        if cell.status == .error && !output.isEmpty { return nil }
        switch cell.name {
        case _ where cell.diff != nil:
            guard let diff = cell.diff else { return nil }
            let lines = DiffLines.body(diff, width: body, unicode: unicode, limit: collapsedDiffLines, hint: "Enter expands")
            return [StyledLine([elbow] + DiffLines.header(diff, showPath: false).spans)] + lines.map { StyledLine([pad] + $0.spans) }
        case "todo_write":
            guard let todos = cell.input?["todos"]?.arrayValue else { return nil }
            let items = todos.map { (title: $0["title"]?.stringValue ?? "?", status: $0["status"]?.stringValue ?? "pending") }
            return checklist(items, width: body, unicode: unicode, elbow: elbow, pad: pad)
        case "todo_read":
            guard cell.status.isFinal, !output.isEmpty else { return nil }
            let items = TodoOutput.parse(cell.output)
            if items.isEmpty { return [StyledLine([elbow, Span(output.split(separator: "\n").first.map(String.init) ?? "", Style(.dim))])] }
            return checklist(items, width: body, unicode: unicode, elbow: elbow, pad: pad)
        case "fs_read", "fs_grep", "fs_glob":
            guard cell.status.isFinal, !output.isEmpty,
                  let line = ResultCounts.line(tool: cell.name, output: output, truncated: cell.output.utf8.count >= ToolCallRecord.previewLimit) else { return nil }
            return [StyledLine([elbow, Span(line, Style(.dim)), Span("  (Enter shows)", Style(.dim))])]
        default:
            return nil
        }
    }

    static func checklist(_ items: [(title: String, status: String)], width: Int, unicode: Bool, elbow: Span, pad: Span) -> [StyledLine] {
        guard !items.isEmpty else { return [StyledLine([elbow, Span("(the todo list is empty)", Style(.dim))])] }
        var lines: [StyledLine] = []
        for (i, item) in items.prefix(collapsedTodos).enumerated() {
            let (mark, style, textStyle): (String, Style, Style) = {
                switch item.status {
                case "completed": return (unicode ? "☑" : "[x]", Style(.success, bold: true), Style(.dim))
                case "in_progress": return (unicode ? "◐" : "[~]", Style(.accent, bold: true), Style(.text, bold: true))
                default: return (unicode ? "☐" : "[ ]", Style(.dim), .text)
                }
            }()
            let lead = i == 0 ? elbow : pad
            let hang = Span(String(repeating: " ", count: 4 + DisplayWidth.of(mark) + 1), .text)
            lines += StyledWrap.wrap([Span(Sanitizer.oneLine(item.title), textStyle)], width: width + 4, first: [lead, Span(mark + " ", style)], rest: [hang])
        }
        if items.count > collapsedTodos {
            lines.append(StyledLine([pad, Span(DiffLines.more(items.count - collapsedTodos, unicode: unicode) + " (Enter expands)", Style(.hint))]))
        }
        return lines
    }
}

/// The items of `todo_read`'s output (`1. [x] title (id: a, completed)`).
enum TodoOutput {
    static func parse(_ text: String) -> [(title: String, status: String)] {
        var items: [(String, String)] = []
        for line in text.split(separator: "\n") {
            guard let dot = line.firstIndex(of: "."), line[..<dot].allSatisfy(\.isNumber) else { continue }
            var rest = line[line.index(after: dot)...].drop(while: { $0 == " " })
            guard rest.count > 4, rest.hasPrefix("[") else { continue }
            rest = rest.dropFirst(4).drop(while: { $0 == " " })
            var title = String(rest)
            var status = "pending"
            if let open = title.range(of: " (id: ", options: .backwards), title.hasSuffix(")") {
                let meta = title[open.upperBound..<title.index(before: title.endIndex)]
                if let comma = meta.range(of: ", ", options: .backwards) { status = String(meta[comma.upperBound...]) }
                title = String(title[..<open.lowerBound])
            }
            items.append((title, status))
        }
        return items
    }
}

/// One line of counts for a read or a search, from its output (`120 lines`, `12 matches in 3
/// files`, `42 files`). The output may be a bounded preview: counts that could be cut say `at least`.
enum ResultCounts {
    /// `output` is sanitized; `truncated`: it is a bounded preview that may have been cut.
    static func line(tool: String, output: String, truncated: Bool) -> String? {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: true)
        let atLeast = truncated ? "at least " : ""
        switch tool {
        case "fs_read":
            if output.hasPrefix("(") && output.hasSuffix("is empty)") { return "empty file" }
            if let trailer = lines.last, trailer.hasPrefix("[lines ") {
                return String(trailer.dropFirst().prefix(while: { $0 != ";" && $0 != "]" }))
            }
            let count = lines.filter { !$0.hasPrefix("[") }.count
            return atLeast + ItemLines.plural(count, "line")
        case "fs_grep":
            if output.hasPrefix("no matches") { return "no matches" }
            var files = Set<Substring>()
            var matches = 0
            var more = 0
            for l in lines {
                if l.hasPrefix("[") {
                    let digits = l.dropFirst().drop(while: { !$0.isNumber }).prefix(while: \.isNumber)
                    if l.contains("more matching") { more = Int(digits) ?? 0 }
                    continue
                }
                guard let colon = l.firstIndex(of: ":") else { continue }
                files.insert(l[..<colon])
                matches += 1
            }
            let total = matches + more
            return (truncated || more > 0 ? "at least " : "") + ItemLines.plural(total, "match").replacingOccurrences(of: "matchs", with: "matches") + " in " + (truncated ? "at least " : "") + ItemLines.plural(files.count, "file")
        case "fs_glob":
            if output.hasPrefix("no files match") { return "no files" }
            var more = 0
            var files = 0
            for l in lines {
                if l.hasPrefix("[") {
                    if l.contains("more match") { more = Int(l.dropFirst().prefix(while: \.isNumber)) ?? 0 }
                    continue
                }
                files += 1
            }
            return atLeast + ItemLines.plural(files + more, "file")
        default:
            return nil
        }
    }
}
