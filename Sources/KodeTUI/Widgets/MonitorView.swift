import Foundation

/// The monitor pane: filter tabs, then the newest entries that fit (or the scrolled-back ones),
/// cut at the edge or wrapped (the `wrap` key).
enum MonitorView {
    static func draw(_ model: AppModel, into canvas: inout Canvas, rect: Rect) {
        guard !rect.isEmpty else { return }
        var x = rect.x
        for f in MonitorModel.Filter.allCases {
            let on = f == model.monitor.filter
            x = canvas.put(" \(f.rawValue) ", x: x, y: rect.y, style: on ? Style(.selection, bold: true, reverse: false) : Style(.dim), maxX: rect.maxX)
        }
        let list = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        let entries = model.monitor.visible
        let end = max(entries.count - model.monitor.scrollBack, 0)
        let clockWidth = DisplayWidth.of(Format.clock(Date())) + 1
        // Newest last: fill the list from its bottom, each entry as many lines as it wraps to
        // (one when cut), the oldest shown cut off at the top if it does not fit whole.
        var rows: [(clock: String?, text: String, role: StyleRole)] = []
        var index = end
        let oldest = max(end - list.height, 0)  // one line each at the least
        while rows.count < list.height, index > oldest {
            index -= 1
            let e = entries[index]
            let parts = model.monitor.wrap ? WordWrap.lines(e.text, width: max(list.width - clockWidth, 8)) : [e.text]
            let lines = parts.enumerated().map { i, part in (clock: i == 0 ? Format.clock(e.time) + " " : nil, text: part, role: e.role) }
            rows.insert(contentsOf: lines, at: 0)
        }
        var y = list.y
        for row in rows.suffix(list.height) {
            let cx = row.clock.map { canvas.put($0, x: list.x, y: y, style: Style(.dim), maxX: list.maxX) } ?? list.x + clockWidth
            canvas.put(row.text, x: cx, y: y, style: Style(row.role), maxX: list.maxX)
            y += 1
        }
        if entries.isEmpty {
            canvas.put("no events yet", x: list.x, y: list.y, style: Style(.dim), maxX: list.maxX)
        }
        if model.monitor.scrollBack > 0 {
            let hint = " paused: \(model.keymap.key(for: .follow, in: .monitor)) follows "
            canvas.put(hint, x: max(list.maxX - DisplayWidth.of(hint), list.x), y: list.maxY - 1, style: Style(.hint, reverse: true), maxX: list.maxX)
        }
    }
}
