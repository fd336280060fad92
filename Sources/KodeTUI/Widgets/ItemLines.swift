import Foundation
import KodeKernel

/// Lays out one conversation entry as styled lines at a width (prefix column included).
/// Everything untrusted goes through `Sanitizer` here, once per entry version.
enum ItemLines {
    static let indent = "  "
    /// Lines of a failed call's error a collapsed cell shows.
    static let collapsedErrorLines = 4

    static func make(_ item: ConversationItem, width: Int, unicode: Bool, now: Date, streams: MarkdownStreamCache? = nil) -> [StyledLine] {
        let body = max(width - 2, 1)
        switch item.kind {
        case .user(let text, _, let queued):
            if let room = RoomMessageHeader(text) { return roomLines(room, body: body, unicode: unicode) }
            var lines = prefixed(text, body: body, first: unicode ? "› " : "> ", style: Style(.user, bold: false), prefixStyle: Style(.user, bold: true))
            if queued { lines.append(StyledLine(indent + "queued: sent when the agent is free", Style(.queued))) }
            lines.append(StyledLine([]))
            return lines
        case .assistant(let text, let streaming):
            // Markdown, laid out line by line: while streaming only whole lines show, and the
            // lines shown are always the first lines of the finished render (no re-flow).
            let mark = Span(unicode ? "● " : "* ", Style(.agent, bold: true))
            let decorate: MarkdownStreamCache.Decorate = { i, l in StyledLine([i == 0 ? mark : Span(indent, .text)] + l.spans) }
            var lines: [StyledLine]
            if streaming {
                // Incremental: the lines of the stable part of the reply are decorated once and
                // reused; a frame lays out only what changed at its end.
                lines = streams?.lines(id: item.id, version: item.version, text: text, width: body, unicode: unicode, decorate: decorate)
                    ?? MarkdownStreamCache.uncached(text, width: body, unicode: unicode).enumerated().map { decorate($0.offset, $0.element) }
            } else {
                streams?.remove(item.id)
                var md = MarkdownRenderer.render(text, width: body, unicode: unicode)
                while md.last?.spans.isEmpty == true { md.removeLast() }
                lines = md.enumerated().map { decorate($0.offset, $0.element) }
            }
            if lines.isEmpty { return [StyledLine([mark, Span("…", Style(.dim))])] }
            if !streaming { lines.append(StyledLine([])) }
            return lines
        case .thinking(let text, let streaming, let expanded):
            let mark = unicode ? "∴ " : "~ "
            if !expanded {
                // Counting lines wraps the text: skip it while chunks still arrive.
                let label = streaming ? "thinking…" : "thinking (" + plural(WordWrap.lines(Sanitizer.clean(text), width: body).count, "line") + ", Enter expands)"
                return [StyledLine(mark + label, Style(.thinking))]
            }
            return [StyledLine(mark + "thinking", Style(.thinking))]
                + WordWrap.lines(Sanitizer.clean(text), width: body).map { StyledLine(indent + $0, Style(.thinking)) }
        case .tool(let cell):
            return toolLines(cell, width: width, unicode: unicode, now: now)
        case .notice(let text, let role):
            return prefixed(text, body: body, first: unicode ? "· " : "- ", style: Style(role), prefixStyle: Style(role))
        }
    }

    /// A message from a room: who sent it, to whom, in which room, then its text (the header
    /// the receiver's model reads is not shown as typed input: the person did not type it).
    static func roomLines(_ room: RoomMessageHeader, body: Int, unicode: Bool) -> [StyledLine] {
        let to = room.to.isEmpty ? "everyone" : room.to.map { "@" + $0 }.joined(separator: " ")
        let arrow = unicode ? " → " : " -> "
        let head = Sanitizer.oneLine("@" + room.from + arrow + to + "  (room " + room.room + " #" + String(room.seq) + ")")
        var lines = [StyledLine([Span(unicode ? "✉ " : "@ ", Style(.accent, bold: true)), Span(head, Style(.accent, bold: true))])]
        lines += prefixed(room.body, body: body, first: indent, style: Style(.user, bold: false), prefixStyle: Style(.user))
        lines.append(StyledLine([]))
        return lines
    }

    static func prefixed(_ text: String, body: Int, first: String, style: Style, prefixStyle: Style) -> [StyledLine] {
        let wrapped = WordWrap.lines(Sanitizer.clean(text), width: body)
        return wrapped.enumerated().map { i, line in
            StyledLine([Span(i == 0 ? first : indent, prefixStyle), Span(line, style)])
        }
    }

    static func toolLines(_ cell: ToolCell, width: Int, unicode: Bool, now: Date) -> [StyledLine] {
        let (glyph, role) = cell.status.glyph(unicode: unicode)
        var header = [Span(glyph + " ", Style(role, bold: true)), Span(cell.name, Style(.tool, bold: true)), Span(" " + cell.summary, .text)]
        var timing = ""
        switch cell.status {
        case .running:
            if let s = cell.startedAt { timing = Format.duration(max(now.timeIntervalSince(s), 0) * 1000) }
        default:
            if let d = cell.durationMs { timing = Format.duration(d) }
        }
        let word = cell.status == .ok ? "" : cell.status.word
        let tail = [timing, word].filter { !$0.isEmpty }.joined(separator: " ")
        if !tail.isEmpty { header.append(Span("  " + tail, Style(role))) }
        var lines = [StyledLine(header)]
        let bar = unicode ? "  │ " : "  | "
        let elbow = unicode ? "  ⎿ " : "  > "
        let body = max(width - 4, 1)
        let hang = "    "
        if let note = cell.note {
            let noteRole: StyleRole = cell.status == .denied || cell.status == .error ? .error : .hint
            for (i, line) in WordWrap.lines(note, width: body).enumerated() {
                lines.append(StyledLine([Span(i == 0 ? elbow : hang, Style(.dim)), Span(line, Style(noteRole))]))
            }
        }
        let output = Sanitizer.clean(cell.output)
        if cell.expanded {
            if let diff = cell.diff {
                lines.append(StyledLine([Span(indent, .text)] + DiffLines.header(diff, showPath: false).spans))
                lines += DiffLines.body(diff, width: body, unicode: unicode).map { StyledLine([Span(bar, Style(.dim))] + $0.spans) }
            }
            lines.append(StyledLine(indent + "input:", Style(.dim)))
            lines += WordWrap.lines(InputSummary.json(compact: cell.inputJSON), width: body).map { StyledLine([Span(bar, Style(.dim)), Span($0, .text)]) }
            if !output.isEmpty {
                lines.append(StyledLine(indent + "output:", Style(.dim)))
                lines += WordWrap.lines(output, width: body).map { StyledLine([Span(bar, Style(.dim)), Span($0, .text)]) }
            }
        } else if let human = ToolCellLines.collapsed(cell, width: width, unicode: unicode) {
            lines += human
        } else if cell.status == .error && !output.isEmpty {
            // A failed call's output is its error (the runtime's `tool:error` carries the same
            // text): shown as lines under one elbow. A hint in place of a single line would hide
            // nothing, so the fold starts past one more than it keeps.
            let all = WordWrap.lines(output, width: body)
            let shown = all.count <= collapsedErrorLines + 1 ? all.count : collapsedErrorLines
            for (i, line) in all.prefix(shown).enumerated() {
                lines.append(StyledLine([Span(i == 0 ? elbow : hang, Style(.dim)), Span(line, Style(.error))]))
            }
            if shown < all.count { lines.append(StyledLine(hang + "(+" + plural(all.count - shown, "line") + ", Enter expands)", Style(.dim))) }
        } else if !output.isEmpty {
            let all = output.split(separator: "\n", omittingEmptySubsequences: false)
            let first = String(all.first ?? "")
            let more = all.count > 1 ? "  (+" + plural(all.count - 1, "line") + ", Enter expands)" : ""
            lines.append(StyledLine([Span(elbow, Style(.dim)), Span(first, Style(.dim)), Span(more, Style(.dim))]))
        }
        return lines
    }

    /// `1 line`, `3 lines`.
    static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

    static func diffStyle(_ line: String) -> Style {
        if line.hasPrefix("+ ") { return Style(.success) }
        if line.hasPrefix("- ") { return Style(.error) }
        if line.hasPrefix("$ ") { return Style(.accent) }
        return .text
    }
}
