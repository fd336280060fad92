import Foundation

// The mouse (`[app] mouse = true`): the wheel scrolls what is under the pointer, a click
// focuses the pane clicked and selects the row clicked. Nothing a click does answers a
// question: over the approval modal and the confirmations the mouse does nothing.
extension Update {
    /// Lines the conversation and the monitor move per wheel notch.
    static let wheelLines = 3

    static func mouse(_ e: MouseEvent, _ m: inout AppModel, _ now: Date) -> [Effect] {
        guard m.mouse else { return [] }
        let wheel: Int
        switch e.action {
        case .wheelUp: wheel = -1
        case .wheelDown: wheel = 1
        case .press(button: 0): wheel = 0
        default: return []  // other buttons, releases and drags: the terminal's, not the app's
        }
        if let top = m.overlays.last { return overlayMouse(e, wheel: wheel, top, &m) }
        if m.modalVisible { return [] }
        let plan = LayoutPlan.compute(width: m.width, height: m.height, focus: m.focus, composerLines: m.composer.lines.count)
        if plan.mode == .tooSmall { return [] }
        if let tabs = plan.tabs, tabs.contains(x: e.x, y: e.y) {
            if wheel == 0, let pane = Renderer.tab(at: e.x, in: tabs) { m.focus = pane }
            return []
        }
        let panes: [(Rect?, Pane)] = [(plan.main, plan.mainPane), (plan.monitor, .monitor), (plan.tree, .tree), (plan.composer, .composer)]
        guard let (box, pane) = panes.lazy.compactMap({ rect, pane in rect.map { ($0, pane) } }).first(where: { $0.0.contains(x: e.x, y: e.y) }) else { return [] }
        let content = box.inset(1)
        if wheel != 0 { return wheelPane(pane, by: wheel, content: content, &m, now) }
        m.focus = pane
        let row = e.y - content.y
        switch pane {
        case .conversation:
            if let item = ConversationView.item(atRow: row, m, width: content.width - 1, height: content.height, now: now) {
                m.scroll.selected = item
            }
        case .tree:
            let index = TreeView.firstRow(m.tree, height: content.height) + row
            if row >= 0, m.tree.rows.indices.contains(index) { m.tree.selection = index }
        case .monitor, .composer:
            break
        }
        return []
    }

    /// The wheel over a pane scrolls it without moving the focus.
    static func wheelPane(_ pane: Pane, by notches: Int, content: Rect, _ m: inout AppModel, _ now: Date) -> [Effect] {
        switch pane {
        case .conversation:
            let (w, h) = (content.width - 1, content.height)
            ConversationView.scroll(&m, by: notches * wheelLines, width: w, height: h, now: now)
            return loadOlderIfNeeded(&m, width: w, height: h, now: now)
        case .monitor:
            let count = m.monitor.visible.count
            m.monitor.scrollBack = min(max(m.monitor.scrollBack - notches * wheelLines, 0), max(count - 1, 0))
        case .tree:
            if notches < 0 { m.tree.moveUp() } else { m.tree.moveDown() }
        case .composer:
            break
        }
        return []
    }

    /// The overlays that scroll or list take the wheel (and the agents view a click on a row);
    /// prompts and confirmations ignore the mouse.
    static func overlayMouse(_ e: MouseEvent, wheel: Int, _ top: Overlay, _ m: inout AppModel) -> [Effect] {
        let last = m.overlays.count - 1
        switch top {
        case .help(let scroll) where wheel != 0:
            m.overlays[last] = .help(scroll: max(scroll + wheel * wheelLines, 0))
        case .preview(let title, let lines, let scroll) where wheel != 0:
            m.overlays[last] = .preview(title: title, lines: lines, scroll: max(scroll + wheel * wheelLines, 0))
        case .agents(var view):
            if wheel != 0 {
                view.move(by: wheel)
            } else {
                let area = Rect(x: 0, y: 0, width: m.width, height: m.height - 1)
                guard let box = AgentsView.box(in: area) else { return [] }
                let list = AgentsView.list(in: box)
                guard list.contains(x: e.x, y: e.y) else { return [] }
                let index = AgentsView.firstShown(view, height: list.height) + (e.y - list.y)
                guard view.shown.indices.contains(index) else { return [] }
                view.selection = index
            }
            m.overlays[last] = .agents(view)
        default:
            break
        }
        return []
    }
}
