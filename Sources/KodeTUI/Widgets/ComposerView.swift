/// The input box: the composer's lines (the cursor line kept in view) and a hint when empty.
enum ComposerView {
    /// Draws the composer and returns where the terminal cursor should be (nil: hidden).
    static func draw(_ model: AppModel, into canvas: inout Canvas, rect: Rect, focused: Bool) -> (x: Int, y: Int)? {
        let title = model.isBusy ? "Message (queued while the agent works)" : "Message"
        canvas.box(rect, style: Style(focused ? .borderFocus : .border), title: title, titleStyle: Style(focused ? .borderFocus : .title, bold: true))
        let inner = rect.inset(1)
        guard !inner.isEmpty else { return nil }
        let c = model.composer
        if c.lines.count == 1 && c.lines[0].isEmpty {
            canvas.put("Enter sends · Ctrl+J new line · Ctrl+G $EDITOR", x: inner.x, y: inner.y, style: Style(.dim), maxX: inner.maxX)
            return focused ? (inner.x, inner.y) : nil
        }
        let first = max(0, c.row - inner.height + 1)
        var cursor: (Int, Int)?
        for (offset, line) in c.lines[first...].prefix(inner.height).enumerated() {
            let y = inner.y + offset
            let row = first + offset
            // Keep the cursor column visible on long lines by scrolling the line horizontally.
            let prefixWidth = DisplayWidth.of(String(line.prefix(row == c.row ? c.col : 0)))
            let shift = row == c.row ? max(0, prefixWidth - inner.width + 1) : 0
            var skipped = 0
            var visible = ""
            for ch in line {
                let w = DisplayWidth.of(ch)
                if skipped < shift { skipped += w; continue }
                visible.append(ch)
            }
            canvas.put(Sanitizer.oneLine(visible), x: inner.x, y: y, style: .text, maxX: inner.maxX)
            if row == c.row { cursor = (inner.x + prefixWidth - shift, y) }
        }
        return focused ? cursor : nil
    }
}
