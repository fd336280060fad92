/// Markdown of a model's reply laid out as styled lines, one source line at a time.
///
/// The renderer only moves forward: each finished source line adds lines and never changes
/// the lines already made (a line break in the source is a line break on screen, so a
/// paragraph never re-flows when its next line arrives). The one exception is held back
/// instead of redrawn: a line that may be a table's header waits for the next line, and a
/// table waits for its last row, because column widths depend on every row. So while a
/// reply streams, the lines shown are always a prefix of the finished render.
///
/// Blocks: ATX headings, fenced code (highlighted by `Highlighter`), block quotes, bullet,
/// numbered and task lists (nested by indentation), tables, thematic breaks, paragraphs.
/// Input lines must be sanitized (`Sanitizer.clean`); markup characters are all printable ASCII,
/// so sanitizing first cannot create or hide markup.
package struct MarkdownRenderer: Sendable {
    package let width: Int
    let unicode: Bool
    /// The lines made so far; they never change once made.
    package private(set) var lines: [StyledLine] = []

    private struct Fence: Sendable {
        var marker: Character
        var length: Int
        var indent: Int
        var language: CodeLanguage?
        var state = HighlightState()
    }

    private var fence: Fence?
    private var tableHead: String?
    private var table: MarkdownTable?
    private var lastBlank = true
    /// The indentation of the last list item's text: indented lines under it continue it.
    private var listHang: (source: Int, shown: Int)?

    /// A renderer for a body `width` columns wide.
    package init(width: Int, unicode: Bool) {
        self.width = max(width, 1)
        self.unicode = unicode
    }

    /// The lines of a whole (finished) text, sanitized here.
    package static func render(_ text: String, width: Int, unicode: Bool) -> [StyledLine] {
        var r = MarkdownRenderer(width: width, unicode: unicode)
        r.feed(text: Sanitizer.clean(text))
        r.finish()
        return r.lines
    }

    /// Feeds sanitized text made of whole lines (every line, the last one included, is complete).
    package mutating func feed(text: String) {
        var start = text.startIndex
        while start < text.endIndex {
            let end = text[start...].firstIndex(of: "\n") ?? text.endIndex
            feed(line: String(text[start..<end]))
            start = end < text.endIndex ? text.index(after: end) : end
        }
    }

    /// One finished, sanitized source line.
    package mutating func feed(line: String) {
        if var f = fence {
            if isFenceClose(line, f) {
                lines.append(StyledLine(unicode ? "└─" : "+-", Style(.border)))
                fence = nil
                lastBlank = false
                return
            }
            let code = Self.dropIndent(line, f.indent)
            let spans = f.language.map { Highlighter.line(code, $0, state: &f.state) } ?? (code.isEmpty ? [] : [Span(code, Style(.codeBlock))])
            fence = f
            codeLines(spans)
            return
        }
        if let head = tableHead {
            tableHead = nil
            if let aligns = MarkdownTable.delimiter(line), aligns.count == MarkdownTable.split(head).count {
                table = MarkdownTable(header: MarkdownTable.split(head), aligns: aligns)
                return
            }
            block(head)
        }
        if table != nil {
            if line.contains("|") && !line.trimming(" ").isEmpty {
                table?.rows.append(MarkdownTable.split(line))
                return
            }
            flushTable()
        }
        block(line)
    }

    /// The full rows of a partial last line that is a paragraph line (it starts with a letter),
    /// so a long line shows as it streams: the rows of its text up to the first character that
    /// could be markup, except the last of them. Those rows cannot move when the line ends:
    /// what arrives later can only make the words after them as wide or wider, and nothing
    /// before a markup character can be styled by it. (Such a line is too long to be a table
    /// header, see `looksLikeTableRow`.) The result only grows as the line does.
    package func previewRows(partial: String) -> [StyledLine] {
        guard fence == nil, tableHead == nil, table == nil, let first = partial.first, first.isLetter else { return [] }
        let utf8 = partial.utf8
        let stop = utf8.firstIndex(where: { Self.markupBytes.contains($0) }) ?? utf8.endIndex
        let plain = String(partial[..<stop])
        guard DisplayWidth.of(plain) > width else { return [] }
        return Array(StyledWrap.wrap([Span(plain, .text)], width: width).dropLast())
    }

    /// Characters that may start or end inline markup.
    private static let markupBytes: Set<UInt8> = Set("*_`[]<>~\\".utf8)

    /// The text ended: a held-back table (or header candidate) is laid out, an open fence closed.
    package mutating func finish() {
        if let head = tableHead {
            tableHead = nil
            block(head)
        }
        flushTable()
        if fence != nil {
            lines.append(StyledLine(unicode ? "└─" : "+-", Style(.border)))
            fence = nil
        }
    }

    // MARK: blocks

    private mutating func flushTable() {
        guard let t = table else { return }
        table = nil
        lines += t.lines(width: width, unicode: unicode)
        lastBlank = false
        listHang = nil
    }

    private mutating func block(_ line: String) {
        let indent = line.prefix(while: { $0 == " " }).count
        let rest = line.dropFirst(indent)
        if rest.isEmpty {
            if !lastBlank { lines.append(StyledLine([])) }
            lastBlank = true
            return
        }
        lastBlank = false
        if let f = Self.fenceOpen(rest, indent: indent) {
            fence = f
            var header = [Span(unicode ? "┌─" : "+-", Style(.border))]
            let label = String(rest.drop(while: { $0 == f.marker })).trimming(" ")
            if !label.isEmpty { header.append(Span(" " + Self.clipped(label, to: width - 3), Style(.dim))) }
            lines.append(StyledLine(header))
            return
        }
        if rest.contains("|") && looksLikeTableRow(rest) {
            tableHead = line
            return
        }
        if let hang = listHang, indent >= max(hang.source, 2), Self.listItem(rest) == nil {
            let pad = [Span(String(repeating: " ", count: hang.shown), .text)]
            lines += StyledWrap.wrap(InlineMarkdown.spans(String(rest), base: .text), width: width, first: pad, rest: pad)
            return
        }
        leaf(String(rest), indent: indent, prefix: [], width: width)
    }

    /// Headings, rules, quotes, list items and paragraphs (also inside a quote, after its bars).
    private mutating func leaf(_ text: String, indent: Int, prefix: [Span], width: Int) {
        if let level = Self.headingLevel(text) {
            let body = String(text.dropFirst(level)).trimming(" ").trimming("#").trimming(" ")
            let style = Style(.heading, bold: true, underline: level == 1)
            var spans = InlineMarkdown.spans(body, base: style)
            if level > 2 { spans.insert(Span(String(repeating: "#", count: level) + " ", Style(.heading)), at: 0) }
            lines += StyledWrap.wrap(spans, width: width, first: prefix, rest: prefix)
            listHang = nil
            return
        }
        if Self.isRule(text) {
            let w = max(width - prefix.reduce(0) { $0 + DisplayWidth.of($1.text) }, 1)
            lines.append(StyledLine(prefix + [Span(String(repeating: unicode ? "─" : "-", count: w), Style(.border))]))
            listHang = nil
            return
        }
        if text.hasPrefix(">") {
            var depth = 0
            var s = Substring(text)
            while s.hasPrefix(">") {
                depth += 1
                s = s.dropFirst()
                if s.hasPrefix(" ") { s = s.dropFirst() }
            }
            let bar = Span(String(repeating: unicode ? "▎ " : "| ", count: depth), Style(.quote))
            if s.isEmpty {
                lines.append(StyledLine(prefix + [bar]))
                return
            }
            quoteLeaf(String(s), prefix: prefix + [bar])
            return
        }
        if let item = Self.listItem(Substring(text)) {
            let level = min(indent / 2, 4)
            let pad = String(repeating: "  ", count: level)
            var marker: String
            var markerStyle = Style(.listMarker, bold: true)
            let body = item.body
            switch item.task {
            case .some(true):
                marker = unicode ? "☑" : "[x]"
                markerStyle = Style(.success, bold: true)
            case .some(false):
                marker = unicode ? "☐" : "[ ]"
            case .none:
                if let number = item.number {
                    marker = number
                } else {
                    let bullets = unicode ? ["•", "◦", "▪"] : ["*", "-", "+"]
                    marker = bullets[level % bullets.count]
                }
            }
            let first = prefix + [Span(pad, .text), Span(marker, markerStyle), Span(" ", .text)]
            let hangWidth = DisplayWidth.of(pad) + DisplayWidth.of(marker) + 1
            let rest = prefix + [Span(String(repeating: " ", count: hangWidth), .text)]
            let base: Style = item.task == true ? Style(.dim) : .text
            lines += StyledWrap.wrap(InlineMarkdown.spans(body, base: base), width: width, first: first, rest: rest)
            if prefix.isEmpty { listHang = (indent + item.markerWidth, hangWidth) }
            return
        }
        if prefix.isEmpty { listHang = nil }
        lines += StyledWrap.wrap(InlineMarkdown.spans(text, base: prefix.isEmpty ? .text : Style(.quote)), width: width, first: prefix, rest: prefix)
    }

    private mutating func quoteLeaf(_ text: String, prefix: [Span]) {
        if Self.headingLevel(text) != nil || Self.listItem(Substring(text)) != nil || Self.isRule(text) {
            leaf(text, indent: 0, prefix: prefix, width: width)
        } else {
            lines += StyledWrap.wrap(InlineMarkdown.spans(text, base: Style(.quote)), width: width, first: prefix, rest: prefix)
        }
    }

    private mutating func codeLines(_ spans: [Span]) {
        let bar = Span(unicode ? "│ " : "| ", Style(.border))
        let avail = max(width - 2, 1)
        // Code keeps its spaces: hard-wrapped by cluster, not at words.
        var line: [Span] = [bar]
        var used = 0
        for span in spans {
            var piece = ""
            for ch in span.text {
                let w = DisplayWidth.of(ch)
                if used + w > avail && used > 0 {
                    if !piece.isEmpty { line.append(Span(piece, span.style)) }
                    lines.append(StyledLine(line))
                    line = [bar]
                    piece = ""
                    used = 0
                }
                piece.append(ch)
                used += w
            }
            if !piece.isEmpty { line.append(Span(piece, span.style)) }
        }
        lines.append(StyledLine(line))
    }

    // MARK: recognisers

    private func isFenceClose(_ line: String, _ f: Fence) -> Bool {
        let t = line.drop(while: { $0 == " " })
        let run = t.prefix(while: { $0 == f.marker }).count
        return run >= f.length && t.dropFirst(run).allSatisfy({ $0 == " " })
    }

    private static func fenceOpen(_ rest: Substring, indent: Int) -> Fence? {
        guard let m = rest.first, m == "`" || m == "~" else { return nil }
        let run = rest.prefix(while: { $0 == m }).count
        guard run >= 3 else { return nil }
        let info = String(rest.dropFirst(run)).trimming(" ")
        if m == "`" && info.contains("`") { return nil }
        return Fence(marker: m, length: run, indent: indent, language: CodeLanguage(fence: info))
    }

    /// `text` cut to `columns` display columns (an info string is one line, never wrapped).
    static func clipped(_ text: String, to columns: Int) -> String {
        var out = ""
        var used = 0
        for ch in text {
            let w = DisplayWidth.of(ch)
            if used + w > columns { break }
            out.append(ch)
            used += w
        }
        return out
    }

    private static func dropIndent(_ line: String, _ n: Int) -> String {
        var k = 0
        var i = line.startIndex
        while k < n, i < line.endIndex, line[i] == " " { i = line.index(after: i); k += 1 }
        return String(line[i...])
    }

    private func looksLikeTableRow(_ rest: Substring) -> Bool {
        // Held back one line only when it could be a header: it starts with a pipe, or it has
        // two cells and fits on one row (a longer line without a leading pipe is a paragraph,
        // so its rows can show while it streams).
        if rest.hasPrefix("|") { return true }
        return MarkdownTable.split(String(rest)).count >= 2 && DisplayWidth.of(String(rest)) <= width
    }

    private static func headingLevel(_ text: String) -> Int? {
        let n = text.prefix(while: { $0 == "#" }).count
        guard n >= 1, n <= 6 else { return nil }
        let after = text.dropFirst(n)
        return after.isEmpty || after.hasPrefix(" ") ? n : nil
    }

    private static func isRule(_ text: String) -> Bool {
        let t = text.filter { $0 != " " }
        guard t.count >= 3, let c = t.first, c == "-" || c == "*" || c == "_" else { return false }
        return t.allSatisfy { $0 == c }
    }

    private struct ListItem {
        var number: String?
        var task: Bool?
        var body: String
        var markerWidth: Int
    }

    private static func listItem(_ rest: Substring) -> ListItem? {
        var number: String?
        var after: Substring
        if let c = rest.first, c == "-" || c == "*" || c == "+" {
            after = rest.dropFirst()
        } else {
            let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
            guard !digits.isEmpty, digits.count <= 9 else { return nil }
            let tail = rest.dropFirst(digits.count)
            guard let d = tail.first, d == "." || d == ")" else { return nil }
            number = String(digits) + String(d)
            after = tail.dropFirst()
        }
        guard after.isEmpty || after.hasPrefix(" ") else { return nil }
        let markerWidth = rest.count - after.count + 1
        var body = String(after.drop(while: { $0 == " " }))
        var task: Bool?
        if body.hasPrefix("[ ] ") || body == "[ ]" { task = false }
        if body.hasPrefix("[x] ") || body.hasPrefix("[X] ") || body == "[x]" || body == "[X]" { task = true }
        if task != nil { body = String(body.dropFirst(3)).trimming(" ") }
        return ListItem(number: number, task: task, body: body, markerWidth: markerWidth)
    }
}
