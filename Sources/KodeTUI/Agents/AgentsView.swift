import Foundation

/// Draws the agents view: a box over the panes with the filter line, one row per agent
/// (title, id, the agent it was forked from, state, model, age) and the keys.
enum AgentsView {
    /// The view's box over `area` (nil: too small to draw).
    static func box(in area: Rect) -> Rect? {
        let box = area.centered(width: area.width - 2, height: area.height - 2)
        return box.width > 20 && box.height > 4 ? box : nil
    }

    /// The rows of the list inside `box` (under the search line).
    static func list(in box: Rect) -> Rect {
        let inner = box.inset(1)
        return Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: max(inner.height - 1, 0))
    }

    /// The index into `view.shown` of the list's first row: the list scrolls by pages, keeping
    /// the selection in view.
    static func firstShown(_ view: AgentsViewState, height: Int) -> Int {
        height > 0 ? (view.selection / height) * height : 0
    }

    static func draw(_ view: AgentsViewState, model: AppModel, into canvas: inout Canvas, area: Rect, now: Date) {
        guard let box = box(in: area) else { return }
        canvas.fill(box, style: Style(.modal))
        let km = model.keymap
        let title = "Agents (\(view.shown.count) of \(view.rows.count)) · \(km.keys(for: .open, in: .agents)) switches · \(km.keys(for: .newAgent, in: .agents)) new · \(km.keys(for: .rename, in: .agents)) renames · \(km.keys(for: .close, in: .agents)) closes"
        canvas.box(box, style: Style(.borderFocus), title: title, titleStyle: Style(.borderFocus, bold: true))
        let inner = box.inset(1)
        var x = canvas.put("search: ", x: inner.x + 1, y: inner.y, style: Style(.accent, bold: true), maxX: inner.maxX)
        x = canvas.put(Sanitizer.oneLine(view.query), x: x, y: inner.y, style: .text, maxX: inner.maxX)
        if view.query.isEmpty { canvas.put("type to filter by title, id, model or state", x: x, y: inner.y, style: Style(.dim), maxX: inner.maxX) }
        let listRect = list(in: box)
        let listTop = listRect.y
        let height = listRect.height
        guard height > 0 else { return }
        if view.loading {
            canvas.put("loading the agents…", x: inner.x + 1, y: listTop, style: Style(.dim), maxX: inner.maxX)
            return
        }
        if view.shown.isEmpty {
            canvas.put(view.rows.isEmpty ? "no agents in this store" : "no agent matches", x: inner.x + 1, y: listTop, style: Style(.dim), maxX: inner.maxX)
            return
        }
        let first = firstShown(view, height: height)
        let stateWidth = 20
        let modelWidth = min(28, max(inner.width / 5, 10))
        let ageWidth = 5
        for (offset, index) in view.shown[first...].prefix(height).enumerated() {
            let row = view.rows[index]
            let y = listTop + offset
            let selected = first + offset == view.selection
            let base = selected ? Style(.selection, bold: true) : Style.text
            if selected { canvas.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: Style(.selection)) }
            let mark = row.id == view.current ? "▶ " : "  "
            var cx = canvas.put(model.unicode ? mark : (row.id == view.current ? "> " : "  "), x: inner.x, y: y, style: base, maxX: inner.maxX)
            let titleEnd = inner.maxX - stateWidth - modelWidth - ageWidth - 3
            let name = row.title.map { Sanitizer.oneLine($0) } ?? Sanitizer.oneLine(row.id)
            cx = canvas.put(name, x: cx, y: y, style: row.title == nil && !selected ? Style(.dim) : base, maxX: titleEnd)
            if row.title != nil, cx + 2 < titleEnd {
                cx = canvas.put(" " + Sanitizer.oneLine(row.id), x: cx, y: y, style: selected ? base : Style(.dim), maxX: titleEnd)
            }
            // Lineage after the name, where it fits: which agent this one was forked from.
            if let parent = row.parent, cx + 2 < titleEnd {
                // A fork usually keeps its parent's title: then the parent's id tells them apart.
                let parentName = view.name(of: parent)
                let named = parentName == row.title ? parent : parentName
                canvas.put(" · fork of " + Sanitizer.oneLine(named), x: cx, y: y, style: selected ? base : Style(.dim), maxX: titleEnd)
            }
            let stateX = titleEnd + 1
            canvas.put(row.activity.rawValue, x: stateX, y: y, style: selected ? base : style(row.activity), maxX: stateX + stateWidth)
            let modelX = stateX + stateWidth + 1
            canvas.put(Sanitizer.oneLine(row.model), x: modelX, y: y, style: selected ? base : Style(.dim), maxX: modelX + modelWidth)
            canvas.put(age(now.timeIntervalSince(row.created)), x: inner.maxX - ageWidth, y: y, style: selected ? base : Style(.dim), maxX: inner.maxX)
        }
    }

    static func style(_ activity: AgentActivity) -> Style {
        switch activity {
        case .running: return Style(.accent, bold: true)
        case .waiting: return Style(.warning, bold: true)
        case .failed: return Style(.error, bold: true)
        case .interrupted: return Style(.warning)
        case .idle, .stored: return Style(.dim)
        }
    }

    /// `42s`, `5m`, `3h`, `12d`.
    static func age(_ seconds: TimeInterval) -> String {
        let s = max(0, Int(seconds))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86400 { return "\(s / 3600)h" }
        return "\(s / 86400)d"
    }
}
