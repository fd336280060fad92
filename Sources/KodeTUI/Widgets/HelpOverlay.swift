/// The help overlay, generated from the keymap table (so remapped keys show as remapped).
package enum HelpOverlay {
    /// Columns before a binding's help text: two of indent and the keys, padded.
    package static let keyColumn = 18

    /// The help text lines for a keymap. With a `width`, a binding's help that does not fit
    /// wraps under its first line (the keys stay alone in their column) instead of being cut.
    package static func lines(_ keymap: Keymap, width: Int? = nil) -> [StyledLine] {
        var out: [StyledLine] = []
        for context in KeyContext.allCases {
            let rows = keymap.bindings.filter { $0.context == context }
            guard !rows.isEmpty else { continue }
            if !out.isEmpty { out.append(StyledLine([])) }
            out.append(StyledLine(context.title, Style(.accent, bold: true)))
            for b in rows {
                let keys = b.keys.map(\.description).joined(separator: " / ")
                let padded = "  " + keys + String(repeating: " ", count: max(keyColumn - 2 - DisplayWidth.of(keys), 1))
                let lead = DisplayWidth.of(padded)
                let room = width.map { $0 - lead } ?? Int.max
                // Too narrow to wrap usefully: keep one line and let the box cut it.
                let parts = room >= 12 && DisplayWidth.of(b.help) > room ? WordWrap.lines(b.help, width: room) : [b.help]
                out.append(StyledLine([Span(padded, Style(.title, bold: true)), Span(parts[0], .text)]))
                for part in parts.dropFirst() {
                    out.append(StyledLine([Span(String(repeating: " ", count: lead), .text), Span(part, .text)]))
                }
            }
        }
        out.append(StyledLine([]))
        out.append(StyledLine("Keys are remappable in ~/.config/kode/config.toml under [keys].", Style(.dim)))
        return out
    }

    static func draw(_ model: AppModel, scroll: Int, into canvas: inout Canvas, area: Rect) {
        let width = min(area.width - 2, 84)
        // Text starts one column inside the border and stops at it.
        let all = lines(model.keymap, width: width - 3)
        let box = area.centered(width: width, height: min(area.height - 2, all.count + 2))
        canvas.fill(box, style: Style(.modal))
        canvas.box(box, style: Style(.borderFocus), title: "Help (Esc closes, j/k scroll)", titleStyle: Style(.borderFocus, bold: true))
        let inner = box.inset(1)
        let start = min(max(scroll, 0), max(all.count - inner.height, 0))
        for (i, line) in all[start...].prefix(inner.height).enumerated() {
            var x = inner.x + 1
            for s in line.spans { x = canvas.put(s.text, x: x, y: inner.y + i, style: s.style, maxX: inner.maxX) }
        }
    }
}
