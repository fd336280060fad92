/// The help overlay, generated from the keymap table (so remapped keys show as remapped).
package enum HelpOverlay {
    /// The help text lines for a keymap.
    package static func lines(_ keymap: Keymap) -> [StyledLine] {
        var out: [StyledLine] = []
        for context in KeyContext.allCases {
            let rows = keymap.bindings.filter { $0.context == context }
            guard !rows.isEmpty else { continue }
            if !out.isEmpty { out.append(StyledLine([])) }
            out.append(StyledLine(context.title, Style(.accent, bold: true)))
            for b in rows {
                let keys = b.keys.map(\.description).joined(separator: " / ")
                let padded = keys + String(repeating: " ", count: max(16 - DisplayWidth.of(keys), 1))
                out.append(StyledLine([Span("  " + padded, Style(.title, bold: true)), Span(b.help, .text)]))
            }
        }
        out.append(StyledLine([]))
        out.append(StyledLine("Keys are remappable in ~/.config/kode/config.toml under [keys].", Style(.dim)))
        return out
    }

    static func draw(_ model: AppModel, scroll: Int, into canvas: inout Canvas, area: Rect) {
        let all = lines(model.keymap)
        let box = area.centered(width: min(area.width - 2, 84), height: min(area.height - 2, all.count + 2))
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
