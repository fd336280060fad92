/// A markdown table fitted to a width: columns keep their natural width when the table fits,
/// otherwise the widest columns give up space first and their cells wrap. Too narrow for a
/// grid (fewer than 3 columns per cell), each row becomes one line with cells separated by `·`.
struct MarkdownTable {
    enum Align { case left, center, right }

    var header: [String]
    var aligns: [Align]
    var rows: [[String]] = []

    /// A delimiter row (`|---|:--:|--:|`): the alignments, or nil when `line` is not one.
    static func delimiter(_ line: String) -> [Align]? {
        let cells = split(line)
        guard !cells.isEmpty else { return nil }
        var aligns: [Align] = []
        for cell in cells {
            let t = cell.trimming(" ")
            let core = t.trimming(":")
            guard !core.isEmpty, core.allSatisfy({ $0 == "-" }) else { return nil }
            let left = t.hasPrefix(":"), right = t.hasSuffix(":")
            aligns.append(left && right ? .center : right ? .right : .left)
        }
        return aligns
    }

    /// The cells of a row: split at `|` outside code spans and escapes, outer pipes dropped.
    static func split(_ line: String) -> [String] {
        var s = Substring(line.trimming(" "))
        if s.hasPrefix("|") { s = s.dropFirst() }
        if s.hasSuffix("|") && !s.hasSuffix("\\|") { s = s.dropLast() }
        var cells: [String] = []
        var cell = ""
        var inCode = false
        var escaped = false
        for ch in s {
            if escaped {
                // `\|` is a pipe inside a cell; other escapes are left for the inline parser.
                if ch != "|" { cell.append("\\") }
                cell.append(ch)
                escaped = false
                continue
            }
            if ch == "\\" { escaped = true; continue }
            if ch == "`" { inCode.toggle() }
            if ch == "|" && !inCode {
                cells.append(cell.trimming(" "))
                cell = ""
            } else {
                cell.append(ch)
            }
        }
        if escaped { cell.append("\\") }
        cells.append(cell.trimming(" "))
        return cells
    }

    /// The table's lines at `width` columns.
    func lines(width: Int, unicode: Bool) -> [StyledLine] {
        let n = aligns.count
        func fitted(_ row: [String]) -> [String] { Array((row + Array(repeating: "", count: max(0, n - row.count))).prefix(n)) }
        let all = [fitted(header)] + rows.map(fitted)
        let spans: [[[Span]]] = all.enumerated().map { r, row in
            row.map { InlineMarkdown.spans($0, base: r == 0 ? Style(.text, bold: true) : .text) }
        }
        let chrome = 3 * n + 1
        let avail = width - chrome
        let border = Style(.border)
        if avail < n {
            // Not even one column per cell: one line per row.
            return spans.flatMap { row -> [StyledLine] in
                var line: [Span] = []
                for (i, cell) in row.enumerated() {
                    if i > 0 { line.append(Span(" · ", border)) }
                    line += cell
                }
                return StyledWrap.wrap(line, width: width)
            }
        }
        var natural = [Int](repeating: 1, count: n)
        for row in spans {
            for (c, cell) in row.enumerated() { natural[c] = max(natural[c], cell.reduce(0) { $0 + DisplayWidth.of($1.text) }) }
        }
        let widths = Self.fit(natural, avail)
        let h = unicode ? "─" : "-", v = unicode ? "│" : "|"
        func rule(_ l: String, _ m: String, _ r: String) -> StyledLine {
            StyledLine(l + widths.map { String(repeating: h, count: $0 + 2) }.joined(separator: m) + r, border)
        }
        var out: [StyledLine] = [unicode ? rule("┌", "┬", "┐") : rule("+", "+", "+")]
        for (r, row) in spans.enumerated() {
            let cells = row.enumerated().map { c, cell in StyledWrap.wrap(cell, width: widths[c]) }
            let height = cells.map(\.count).max() ?? 1
            for k in 0..<height {
                var line = [Span(v, border)]
                for c in 0..<n {
                    let content = k < cells[c].count ? cells[c][k].spans : []
                    let w = content.reduce(0) { $0 + DisplayWidth.of($1.text) }
                    let pad = max(widths[c] - w, 0)
                    let left: Int
                    switch aligns[c] {
                    case .left: left = 0
                    case .right: left = pad
                    case .center: left = pad / 2
                    }
                    line.append(Span(" " + String(repeating: " ", count: left), .text))
                    line += content
                    line.append(Span(String(repeating: " ", count: pad - left) + " ", .text))
                    line.append(Span(v, border))
                }
                out.append(StyledLine(line))
            }
            if r == 0 { out.append(unicode ? rule("├", "┼", "┤") : rule("+", "+", "+")) }
        }
        out.append(unicode ? rule("└", "┴", "┘") : rule("+", "+", "+"))
        return out
    }

    /// Column widths within `avail`: natural widths when they fit; otherwise columns narrower
    /// than a fair share keep theirs and the rest share what is left.
    static func fit(_ natural: [Int], _ avail: Int) -> [Int] {
        if natural.reduce(0, +) <= avail { return natural }
        var widths = natural
        var open = Set(natural.indices)
        var left = avail
        while true {
            let share = max(left / max(open.count, 1), 1)
            let small = open.filter { natural[$0] <= share }
            if small.isEmpty { break }
            for c in small {
                widths[c] = natural[c]
                left -= natural[c]
                open.remove(c)
            }
        }
        let sorted = open.sorted()
        guard !sorted.isEmpty else { return widths }
        let share = max(left / sorted.count, 1)
        var extra = max(left - share * sorted.count, 0)
        for c in sorted {
            widths[c] = share + (extra > 0 ? 1 : 0)
            if extra > 0 { extra -= 1 }
        }
        return widths
    }
}
