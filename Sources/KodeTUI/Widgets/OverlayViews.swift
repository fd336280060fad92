import Foundation

/// The small overlays: the search prompt, the checkpoint preview, the fork confirmation and the
/// checkpoint label prompt.
enum OverlayViews {
    static func draw(_ overlay: Overlay, model: AppModel, into canvas: inout Canvas, area: Rect, statusRow: Rect, now: Date) {
        switch overlay {
        case .help(let scroll):
            HelpOverlay.draw(model, scroll: scroll, into: &canvas, area: area)
        case .search(_, let query):
            prompt("/" , Sanitizer.oneLine(query), hint: "  Enter searches · Esc cancels", into: &canvas, row: statusRow)
        case .label(let text, let at):
            let label = at.map { "label for \(Sanitizer.oneLine($0.id)): " } ?? "label for the newest checkpoint: "
            prompt(label, Sanitizer.oneLine(text), hint: "  Enter saves · Esc cancels", into: &canvas, row: statusRow)
        case .rename(let agent, let text):
            prompt("title for \(Sanitizer.oneLine(agent)): ", Sanitizer.oneLine(text), hint: "  Enter saves (empty: the first prompt) · Esc cancels", into: &canvas, row: statusRow)
        case .agents(let view):
            AgentsView.draw(view, model: model, into: &canvas, area: area, now: now)
        case .confirmFork(let agent, let cp, let mode):
            let at = cp.map { "\($0.label ?? $0.id) (turn \($0.messageCount))" } ?? "its latest safe point"
            prompt("Fork \(Sanitizer.oneLine(agent)) at \(Sanitizer.oneLine(at)) and switch to the child? ", "workspace: \(mode.rawValue) ",
                   hint: "c copy · s shared · w worktree · y forks · any other key cancels", into: &canvas, row: statusRow)
        case .confirmRewind(let cp, let lines, let scroll):
            let box = area.centered(width: area.width - 4, height: area.height - 2)
            canvas.fill(box, style: Style(.modal))
            canvas.box(box, style: Style(.borderFocus), title: "Rewind to " + Sanitizer.oneLine(cp.label ?? cp.id) + "? y rewinds · any other key cancels", titleStyle: Style(.borderFocus, bold: true))
            let inner = box.inset(1)
            let start = min(max(scroll, 0), max(lines.count - inner.height, 0))
            for (i, l) in lines[start...].prefix(inner.height).enumerated() {
                canvas.put(l, x: inner.x + 1, y: inner.y + i, style: .text, maxX: inner.maxX)
            }
        case .preview(let title, let lines, let scroll):
            let box = area.centered(width: area.width - 4, height: area.height - 2)
            canvas.fill(box, style: Style(.modal))
            canvas.box(box, style: Style(.borderFocus), title: "Preview: " + Sanitizer.oneLine(title) + " (Esc closes)", titleStyle: Style(.borderFocus, bold: true))
            let inner = box.inset(1)
            let start = min(max(scroll, 0), max(lines.count - inner.height, 0))
            for (i, l) in lines[start...].prefix(inner.height).enumerated() {
                canvas.put(l, x: inner.x + 1, y: inner.y + i, style: .text, maxX: inner.maxX)
            }
        }
    }

    private static func prompt(_ label: String, _ text: String, hint: String, into canvas: inout Canvas, row: Rect) {
        guard !row.isEmpty else { return }
        canvas.fill(row, style: Style(.status))
        var x = canvas.put(label, x: row.x, y: row.y, style: Style(.statusAccent, bold: true), maxX: row.maxX)
        x = canvas.put(text, x: x, y: row.y, style: Style(.status), maxX: row.maxX)
        canvas.put(hint, x: x, y: row.y, style: Style(.status), maxX: row.maxX)
    }
}
