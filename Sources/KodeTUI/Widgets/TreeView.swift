import Foundation

/// The checkpoint tree pane: agents by fork lineage, each with its safe fork points.
enum TreeView {
    /// The index of the first row shown in a pane `height` rows high: the selection is kept
    /// near the middle.
    static func firstRow(_ tree: CheckpointTree, height: Int) -> Int {
        max(0, min(tree.selection - height / 2, tree.rows.count - height))
    }

    static func draw(_ model: AppModel, into canvas: inout Canvas, rect: Rect, focused: Bool) {
        guard !rect.isEmpty else { return }
        let tree = model.tree
        if tree.rows.isEmpty {
            canvas.put("no agents in the store yet", x: rect.x, y: rect.y, style: Style(.dim), maxX: rect.maxX)
            return
        }
        let first = firstRow(tree, height: rect.height)
        for (offset, row) in tree.rows[first...].prefix(rect.height).enumerated() {
            let y = rect.y + offset
            let index = first + offset
            let isSel = index == tree.selection
            if isSel { canvas.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), style: Style(.selection)) }
            // A visible marker too, so the selection shows in mono themes and plain captures.
            let marker = isSel ? (model.unicode ? "▶" : ">") : " "
            var x = canvas.put(marker, x: rect.x, y: y, style: Style(isSel ? .selection : .text, bold: true), maxX: rect.maxX)
            x = canvas.put(String(repeating: "  ", count: min(row.depth, 12)), x: x, y: y, style: .text, maxX: rect.maxX)
            let sel: (StyleRole) -> Style = { Style(isSel ? .selection : $0, bold: isSel && focused) }
            switch row.kind {
            case .agent(let id):
                let open = tree.expanded.contains(id)
                let arrow = model.unicode ? (open ? "▾ " : "▸ ") : (open ? "v " : "> ")
                x = canvas.put(arrow, x: x, y: y, style: sel(.dim), maxX: rect.maxX)
                let isCurrent = id == tree.current
                x = canvas.put(Sanitizer.oneLine(id), x: x, y: y, style: Style(isSel ? .selection : (isCurrent ? .accent : .text), bold: isCurrent || (isSel && focused)), maxX: rect.maxX)
                if let node = tree.nodes[id] {
                    var extra = " " + Sanitizer.oneLine(node.model)
                    if let p = node.parent { extra += " ← " + Sanitizer.oneLine(p.agentId) + "@\(p.seq)" }
                    if node.spawnedBy != nil { extra += " sub-agent" }
                    if isCurrent { extra += " (open)" }
                    if !model.unicode { extra = extra.replacingOccurrences(of: "←", with: "<-") }
                    canvas.put(extra, x: x, y: y, style: sel(.dim), maxX: rect.maxX)
                }
            case .checkpoint(let id, let cp):
                let mark = cp.label != nil ? (model.unicode ? "◆ " : "* ") : (model.unicode ? "◇ " : "o ")
                x = canvas.put(mark, x: x, y: y, style: sel(cp.label != nil ? .accent : .dim), maxX: rect.maxX)
                x = canvas.put(ItemLines.plural(cp.messageCount, "msg") + " " + Format.clock(cp.time) + " ", x: x, y: y, style: sel(.dim), maxX: rect.maxX)
                if let label = cp.label { x = canvas.put("[" + Sanitizer.oneLine(label) + "] ", x: x, y: y, style: sel(.accent), maxX: rect.maxX) }
                if let changed = tree.nodes[id]?.fileChanges[cp.id], changed > 0 {
                    x = canvas.put(ItemLines.plural(changed, "file") + " ", x: x, y: y, style: sel(.accent), maxX: rect.maxX)
                }
                canvas.put(Sanitizer.oneLine(cp.preview), x: x, y: y, style: sel(.text), maxX: rect.maxX)
            case .loading:
                canvas.put("loading checkpoints…", x: x, y: y, style: Style(.dim), maxX: rect.maxX)
            case .noCheckpoints(let id):
                let forked = tree.nodes[id]?.parent != nil
                // Short: the tree is often a narrow pane.
                let hint = forked ? "no checkpoints of its own yet: its first step makes one" : "no checkpoints yet: each finished step makes one"
                canvas.put(hint, x: x, y: y, style: sel(.dim), maxX: rect.maxX)
            }
        }
    }
}
