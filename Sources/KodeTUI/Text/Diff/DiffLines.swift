/// A `FileDiff` laid out as styled lines: a line-number column, `+`/`-` in the diff colours,
/// a `@@` line between hunks, long lines wrapped under their text. Sanitized here.
package enum DiffLines {
    /// The header: the path, what happens to it and the counts (`notes.md  new file  +3`).
    /// A tool cell, whose header names the file already, leaves the path out (`showPath: false`).
    package static func header(_ diff: FileDiff, showPath: Bool = true) -> StyledLine {
        var spans = showPath ? [Span(Sanitizer.oneLine(diff.path) + "  ", Style(.text, bold: true))] : []
        switch diff.kind {
        case .create: spans.append(Span("new file  ", Style(.success)))
        case .overwrite: spans.append(Span("overwrite  ", Style(.warning)))
        case .write: spans.append(Span("write  ", Style(.dim)))
        case .edit, .snippet: break
        }
        spans.append(Span("+\(diff.added)", Style(.diffAdd, bold: true)))
        spans.append(Span(" −\(diff.removed)", Style(.diffRemove, bold: true)))
        if let note = diff.note { spans.append(Span("  (" + Sanitizer.oneLine(note) + ")", Style(.dim))) }
        return StyledLine(spans)
    }

    /// The body at `width`. With `limit`, at most that many diff lines (a wrapped line counts
    /// once) and then a line saying how many more there are and `hint` (what shows them).
    package static func body(_ diff: FileDiff, width: Int, unicode: Bool, limit: Int? = nil, hint: String = "") -> [StyledLine] {
        let biggest = diff.hunks.flatMap(\.lines).compactMap(\.number).max() ?? 0
        let numberWidth = biggest == 0 ? 0 : String(biggest).count
        let total = entryCount(diff)
        let shown = limit.map { total > $0 ? $0 : total } ?? total
        var out: [StyledLine] = []
        var entries = 0
        hunks: for (h, hunk) in diff.hunks.enumerated() {
            if h > 0 || diff.kind == .edit || diff.kind == .overwrite {
                if entries == shown { break hunks }
                entries += 1
                if diff.kind == .snippet {
                    out.append(StyledLine(unicode ? "⋯" : "...", Style(.diffHunk)))
                } else {
                    out.append(StyledLine("@@ -\(hunk.oldStart),\(hunk.oldCount) +\(hunk.newStart),\(hunk.newCount) @@", Style(.diffHunk)))
                }
            }
            for line in hunk.lines {
                if entries == shown { break hunks }
                entries += 1
                out += render(line, numberWidth: numberWidth, width: width)
            }
        }
        if shown < total {
            out.append(StyledLine(more(total - shown, unicode: unicode) + (hint.isEmpty ? "" : " (" + hint + ")"), Style(.hint)))
        }
        return out
    }

    static func more(_ n: Int, unicode: Bool) -> String {
        (unicode ? "… " : "... ") + "\(n) more line\(n == 1 ? "" : "s")"
    }

    /// Diff lines and hunk headers of the body.
    static func entryCount(_ diff: FileDiff) -> Int {
        var count = 0
        for (h, hunk) in diff.hunks.enumerated() {
            if h > 0 || diff.kind == .edit || diff.kind == .overwrite { count += 1 }
            count += hunk.lines.count
        }
        return count
    }

    private static func render(_ line: FileDiff.Line, numberWidth: Int, width: Int) -> [StyledLine] {
        let number = line.number.map(String.init) ?? ""
        let gutter = numberWidth == 0 ? "" : String(repeating: " ", count: max(numberWidth - number.count, 0)) + number + " "
        let (sign, role): (String, StyleRole) = {
            switch line.kind {
            case .added: return ("+ ", .diffAdd)
            case .removed: return ("- ", .diffRemove)
            case .context: return ("  ", .codeBlock)
            }
        }()
        let text = Sanitizer.clean(line.text)
        let first = [Span(gutter, Style(.lineNumber)), Span(sign, Style(role, bold: line.kind != .context))]
        let rest = [Span(String(repeating: " ", count: gutter.count + 2), .text)]
        // Code keeps its spaces: wrapped by cluster at the edge, not at words.
        var lines: [StyledLine] = []
        var current = first
        var piece = ""
        var used = 0
        let avail = max(width - gutter.count - 2, 1)
        for ch in text {
            let w = DisplayWidth.of(ch)
            if used + w > avail && used > 0 {
                current.append(Span(piece, Style(role)))
                lines.append(StyledLine(current))
                current = rest
                piece = ""
                used = 0
            }
            piece.append(ch)
            used += w
        }
        if !piece.isEmpty { current.append(Span(piece, Style(role))) }
        lines.append(StyledLine(current))
        return lines
    }
}
