import Foundation
import KodeKernel

/// The approval modal: "Approval i/N", the tool, the agent, the reason, the input, and the
/// choices with their keys. Drawn over the centre; it captures the keys while shown.
package enum ApprovalModal {
    static func draw(_ model: AppModel, into canvas: inout Canvas, area: Rect) {
        guard let req = model.approvals.current else { return }
        let q = model.approvals
        let width = min(max(area.width * 3 / 4, 40), area.width - 2, 100)
        let inner = max(width - 4, 10)
        var lines: [StyledLine] = []
        lines.append(StyledLine([Span("tool   ", Style(.dim)), Span(Sanitizer.oneLine(req.call.name), Style(.tool, bold: true))]))
        // A request relayed from a sub-agent names the child that asks.
        let asker = req.agentId.map { "\($0) (sub-agent of \(model.info.agentId))" } ?? model.info.agentId
        lines.append(StyledLine([Span("agent  ", Style(.dim)), Span(Sanitizer.oneLine(asker), .text)]))
        for (i, l) in WordWrap.lines(Sanitizer.clean(req.reason), width: inner - 7).enumerated() {
            lines.append(StyledLine([Span(i == 0 ? "why    " : "       ", Style(.dim)), Span(l, Style(.warning))]))
        }
        lines.append(StyledLine([]))
        var inputLines = input(model, req, inner: inner, expanded: q.expanded)
        let maxInput = q.expanded ? max(area.height - 16, 3) : collapsedRows(req, area: area)
        if inputLines.count > maxInput {
            if q.expanded {
                // A window onto the whole input, scrolled with ↑/↓ and PgUp/PgDn.
                let top = min(q.inputScroll, inputLines.count - maxInput)
                let below = inputLines.count - maxInput - top
                var window = Array(inputLines[top..<(top + maxInput)])
                window.insert(StyledLine(top > 0 ? "↑ \(top) line\(top == 1 ? "" : "s") above (↑/PgUp)" : "", Style(.hint)), at: 0)
                window.append(StyledLine(below > 0 ? "↓ \(below) more line\(below == 1 ? "" : "s") (↓/PgDn)" : "", Style(.hint)))
                inputLines = window
            } else {
                let hidden = inputLines.count - maxInput
                let key = model.keymap.keys(for: .expandInput, in: .approval)
                inputLines = Array(inputLines.prefix(maxInput)) + [StyledLine(DiffLines.more(hidden, unicode: model.unicode) + " (\(key) shows all)", Style(.hint))]
            }
        }
        lines += inputLines
        lines.append(StyledLine([]))
        if let note = q.note {
            lines.append(StyledLine("Deny with a note for the agent (Enter sends, Esc goes back):", Style(.warning)))
            lines.append(StyledLine([Span("> ", Style(.accent)), Span(Sanitizer.oneLine(note), .text)]))
        } else {
            let km = model.keymap
            func key(_ c: Command) -> String { km.keys(for: c, in: .approval) }
            lines.append(StyledLine([Span(key(.approve), Style(.success, bold: true)), Span(" approve once   ", .text),
                                     Span(key(.approveAlways), Style(.success, bold: true)), Span(" always: ", .text),
                                     Span(Sanitizer.oneLine(req.alwaysPattern), Style(.accent))]))
            lines.append(StyledLine([Span(key(.deny), Style(.error, bold: true)), Span(" deny (+note)   ", .text),
                                     Span(key(.expandInput), Style(.accent, bold: true)), Span(q.expanded ? " collapse   " : " full input   ", .text),
                                     Span(key(.prevApproval) + "/" + key(.nextApproval), Style(.accent, bold: true)), Span(" queue", .text)]))
            lines.append(StyledLine([Span(key(.denyAlways), Style(.error, bold: true)), Span(" always deny: ", .text),
                                     Span(Sanitizer.oneLine(req.alwaysPattern), Style(.accent))]))
            lines.append(StyledLine([Span(key(.approveProject), Style(.success, bold: true)), Span(" / ", .text),
                                     Span(key(.denyProject), Style(.error, bold: true)), Span(" always allow / deny for this project", .text)]))
        }
        let height = min(lines.count + 2, area.height)
        let box = area.centered(width: width, height: height)
        canvas.fill(box, style: Style(.modal))
        canvas.box(box, style: Style(.modalBorder, bold: true), title: "Approval \(q.index + 1)/\(q.pending.count)", titleStyle: Style(.modalBorder, bold: true))
        var y = box.y + 1
        for line in lines where y < box.maxY - 1 {
            var x = box.x + 2
            for s in line.spans { x = canvas.put(s.text, x: x, y: y, style: s.style, maxX: box.maxX - 2) }
            y += 1
        }
    }

    /// How far the expanded input can scroll: its wrapped lines beyond what the modal shows on a
    /// screen of the model's size (the update clamps `inputScroll` to this).
    package static func expandedOverflow(_ model: AppModel) -> Int {
        guard let req = model.approvals.current else { return 0 }
        let area = Rect(x: 0, y: 0, width: model.width, height: model.height - 1)
        let width = min(max(area.width * 3 / 4, 40), area.width - 2, 100)
        let lines = input(model, req, inner: max(width - 4, 10), expanded: true)
        return max(lines.count - max(area.height - 16, 3), 0)
    }

    /// Rows of input the collapsed modal shows: more for a diff, which is the point of asking.
    static func collapsedRows(_ req: PermissionRequiredEvent, area: Rect) -> Int {
        if EditPreview.tools.contains(req.call.name) { return min(max(area.height - 18, 4), 16) }
        return req.call.name == "bash_run" ? 6 : 4
    }

    /// The input's lines from the model's layout cache (laid out by `body` on a miss).
    static func input(_ model: AppModel, _ req: PermissionRequiredEvent, inner: Int, expanded: Bool) -> [StyledLine] {
        let cell = model.conversation.toolCellEntry(req.callId)
        let reading = cell?.base == nil && model.baseRequested.contains(req.callId)
        let key = ApprovalLayoutCache.Key(callId: req.callId, cellId: cell?.id, cellVersion: cell?.version, reading: reading,
                                          inner: inner, expanded: expanded, unicode: model.unicode, workDir: model.info.workDir)
        return model.approvalLayout.lines(for: key) { body(model, req, inner: inner, expanded: expanded) }
    }

    /// The input as the modal shows it: a write or edit as the diff it would make (against the
    /// file as it is now, once read), a command highlighted as shell with its working
    /// directory, other tools as a summary (`e`: everything).
    static func body(_ model: AppModel, _ req: PermissionRequiredEvent, inner: Int, expanded: Bool) -> [StyledLine] {
        let name = req.call.name
        if EditPreview.tools.contains(name),
           let diff = model.conversation.toolCell(req.callId)?.diff ?? EditPreview.diff(tool: name, input: req.call.input, base: nil) {
            let reading = model.conversation.toolCell(req.callId)?.base == nil && model.baseRequested.contains(req.callId)
            var lines = [DiffLines.header(diff)]
            if reading { lines.append(StyledLine("reading the file for line numbers…", Style(.dim))) }
            return lines + DiffLines.body(diff, width: inner, unicode: model.unicode)
        }
        if name == "bash_run", let cmd = req.call.input["cmd"]?.stringValue {
            var lines: [StyledLine] = []
            if let dir = model.info.workDir {
                lines += StyledWrap.wrap([Span("in ", Style(.dim)), Span(Sanitizer.oneLine(dir), Style(.dim, bold: true))], width: inner)
            }
            if let widening = req.call.input["sandbox"]?.stringValue {
                let reason = req.call.input["reason"]?.stringValue.map { ": " + $0 } ?? ""
                lines += StyledWrap.wrap([Span("asks for sandbox " + Sanitizer.oneLine(widening) + Sanitizer.oneLine(reason), Style(.warning))], width: inner)
            }
            var state = HighlightState()
            let source = Sanitizer.clean(cmd).split(separator: "\n", omittingEmptySubsequences: false)
            for (i, line) in source.enumerated() {
                let spans = Highlighter.line(String(line), .shell, state: &state)
                lines += StyledWrap.wrap(spans, width: inner, first: [Span(i == 0 ? "$ " : "  ", Style(.accent, bold: true))], rest: [Span("  ", .text)])
            }
            if req.call.input["background"]?.boolValue == true { lines.append(StyledLine("runs in the background", Style(.dim))) }
            if expanded { lines += [StyledLine([])] + WordWrap.lines(InputSummary.json(req.call.input), width: inner).map { StyledLine($0, Style(.dim)) } }
            return lines
        }
        let text = expanded ? InputSummary.full(req.call.input) : summary(req)
        return WordWrap.lines(text, width: inner).map { StyledLine($0, ItemLines.diffStyle($0)) }
    }

    /// The short input view: a command as `$ …`, a write or edit as a diff summary.
    static func summary(_ req: PermissionRequiredEvent) -> String {
        if InputSummary.knownTools.contains(req.call.name) || req.inputPreview.isEmpty {
            return InputSummary.oneLine(tool: req.call.name, input: req.call.input)
        }
        return Sanitizer.clean(req.inputPreview)
    }
}
