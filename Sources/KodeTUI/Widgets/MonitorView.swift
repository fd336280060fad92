/// The monitor pane: filter tabs, then the newest entries that fit (or the scrolled-back ones).
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
        let start = max(end - list.height, 0)
        var y = list.y
        for e in entries[start..<end] {
            var cx = canvas.put(Format.clock(e.time) + " ", x: list.x, y: y, style: Style(.dim), maxX: list.maxX)
            cx = canvas.put(e.text, x: cx, y: y, style: Style(e.role), maxX: list.maxX)
            y += 1
        }
        if entries.isEmpty {
            canvas.put("no events yet", x: list.x, y: list.y, style: Style(.dim), maxX: list.maxX)
        }
        if model.monitor.scrollBack > 0 {
            canvas.put(" paused: G follows ", x: max(list.maxX - 19, list.x), y: list.maxY - 1, style: Style(.hint, reverse: true), maxX: list.maxX)
        }
    }
}
