import Foundation

// The conversation, monitor and checkpoint-tree panes: scrolling, search, filters, forks.
extension Update {
    static func conversationCommand(_ cmd: Command, _ m: inout AppModel, _ now: Date) -> [Effect] {
        let plan = LayoutPlan.compute(width: m.width, height: m.height, focus: m.focus, composerLines: m.composer.lines.count)
        let content = plan.main.inset(1)
        let w = content.width - 1
        let h = content.height
        let expandable = m.conversation.items.indices.filter { m.conversation.items[$0].isExpandable }
        switch cmd {
        case .scrollUp, .scrollDown:
            // With expandable entries, j/k move the selection; otherwise they scroll.
            guard !expandable.isEmpty else {
                ConversationView.scroll(&m, by: cmd == .scrollUp ? -1 : 1, width: w, height: h, now: now)
                return loadOlderIfNeeded(&m, width: w, height: h, now: now)
            }
            let cur = m.scroll.selected ?? expandable.last!
            let next: Int
            if m.scroll.selected == nil {
                next = cur
            } else if cmd == .scrollUp {
                next = expandable.last(where: { $0 < cur }) ?? cur
            } else {
                next = expandable.first(where: { $0 > cur }) ?? cur
            }
            m.scroll.selected = next
            ConversationView.reveal(&m, item: next, width: w, height: h, now: now)
        case .pageUp: ConversationView.scroll(&m, by: -max(h - 2, 1), width: w, height: h, now: now)
        case .pageDown: ConversationView.scroll(&m, by: max(h - 2, 1), width: w, height: h, now: now)
        case .top:
            m.scroll.follow = false
            m.scroll.topItem = 0
            m.scroll.topLine = 0
        case .follow:
            m.scroll.follow = true
            m.scroll.newOutput = false
        case .toggleExpand:
            if let i = m.scroll.selected ?? expandable.last { m.conversation.toggleExpanded(i) }
        case .copy, .copyCode:
            // The selected entry, else the newest reply: its text as the model wrote it, or
            // (copy_code) the last code block of the newest reply that has one.
            let items = m.conversation.items
            let text: String?
            if cmd == .copyCode {
                text = items.lazy.reversed().compactMap { $0.codeBlocks.last }.first
            } else {
                let index = m.scroll.selected ?? items.lastIndex { if case .assistant = $0.kind { return true } else { return false } }
                text = index.flatMap { items[$0].copyText }
            }
            guard let text, !text.isEmpty else {
                m.flash(cmd == .copyCode ? "no code block to copy" : "nothing to copy: select an entry with j/k", now: now)
                return []
            }
            m.flash("copied \(text.count) characters to the clipboard (OSC 52)", now: now)
            return [.copy(text)]
        case .search:
            m.overlays.append(.search(pane: .conversation, query: ""))
        case .searchNext, .searchPrev:
            searchConversation(&m, forward: cmd == .searchNext, now: now, width: w, height: h)
        default: return global(cmd, &m, now)
        }
        return loadOlderIfNeeded(&m, width: w, height: h, now: now)
    }

    /// Near the top of what is loaded, with older messages in the agent: fetch the page before.
    /// (A transcript shorter than the pane is all "near the top" while it follows.)
    static func loadOlderIfNeeded(_ m: inout AppModel, width: Int, height: Int, now: Date) -> [Effect] {
        guard m.conversation.hasOlder, !m.conversation.loadingOlder else { return [] }
        let top = m.scroll.follow ? ConversationView.followTop(m, width: width, height: height, now: now).item : m.scroll.topItem
        guard top < 3, let range = m.conversation.olderRange(size: SessionLoader.pageMessages) else { return [] }
        m.conversation.loadingOlder = true
        return [.loadOlder(range)]
    }

    static func searchConversation(_ m: inout AppModel, forward: Bool, now: Date, width: Int, height: Int) {
        guard let q = m.searchQuery[.conversation]?.lowercased(), !q.isEmpty else { return }
        let items = m.conversation.items
        guard !items.isEmpty else { return }
        // `n` searches backwards in time (towards older output), like less after `?`; `N` forwards.
        let start = m.scroll.selected ?? items.count
        let after = min(start + 1, items.count)
        let order: [Int] = forward
            ? Array((0..<start).reversed()) + Array((start..<items.count).reversed())
            : Array(after..<items.count) + Array(0..<after)
        for i in order where items[i].searchableText.lowercased().contains(q) {
            m.scroll.selected = i
            ConversationView.reveal(&m, item: i, width: width, height: height, now: now)
            m.flash("match in entry \(i + 1) of \(items.count)", now: now)
            return
        }
        m.flash("no match for \"\(q)\"", now: now)
    }

    static func monitorCommand(_ cmd: Command, _ m: inout AppModel, _ now: Date) -> [Effect] {
        let count = m.monitor.visible.count
        switch cmd {
        case .scrollUp: m.monitor.scrollBack = min(m.monitor.scrollBack + 1, max(count - 1, 0))
        case .scrollDown: m.monitor.scrollBack = max(m.monitor.scrollBack - 1, 0)
        case .follow: m.monitor.scrollBack = 0
        case .wrap:
            m.monitor.wrap.toggle()
            m.flash(m.monitor.wrap ? "monitor: long entries wrap" : "monitor: long entries are cut at the edge", now: now)
        case .filterNext, .filterPrev:
            let all = MonitorModel.Filter.allCases
            let i = all.firstIndex(of: m.monitor.filter) ?? 0
            m.monitor.filter = all[(i + (cmd == .filterNext ? 1 : all.count - 1)) % all.count]
            m.monitor.scrollBack = 0
        case .search: m.overlays.append(.search(pane: .monitor, query: ""))
        case .searchNext, .searchPrev:
            guard let q = m.searchQuery[.monitor]?.lowercased(), !q.isEmpty else { return [] }
            let entries = m.monitor.visible
            let current = entries.count - 1 - m.monitor.scrollBack
            let candidates = cmd == .searchNext ? Array((0..<max(current, 0)).reversed()) : Array(min(current + 1, entries.count)..<entries.count)
            if let hit = candidates.first(where: { entries[$0].text.lowercased().contains(q) }) {
                m.monitor.scrollBack = entries.count - 1 - hit
            } else {
                m.flash("no match for \"\(q)\"", now: now)
            }
        default: return global(cmd, &m, now)
        }
        return []
    }

    static func treeCommand(_ cmd: Command, _ m: inout AppModel, _ now: Date) -> [Effect] {
        switch cmd {
        case .treeDown: m.tree.moveDown()
        case .treeUp: m.tree.moveUp()
        case .collapse: m.tree.collapseSelected()
        case .expand:
            if let id = m.tree.expandSelected() { return [.loadCheckpoints(id)] }
        case .preview:
            if case .checkpoint(let id, let cp)? = m.tree.selected?.kind { return [.preview(agent: id, checkpoint: cp)] }
            m.flash("select a checkpoint row to preview", now: now)
        case .label:
            // The selected checkpoint (an agent row: its newest). Only the open agent can be
            // written to, so another agent's rows say how to get there.
            switch m.tree.selected?.kind {
            case .checkpoint(let id, let cp)? where id == m.info.agentId:
                m.overlays.append(.label(text: cp.label ?? "", at: cp))
            case .agent(let id)? where id == m.info.agentId, .noCheckpoints(let id)? where id == m.info.agentId:
                m.overlays.append(.label(text: "", at: nil))
            case nil:
                m.overlays.append(.label(text: "", at: nil))
            default:
                m.flash("open that agent (o) to label its checkpoints", now: now)
            }
        case .fork:
            switch m.tree.selected?.kind {
            case .checkpoint(let id, let cp)?: m.overlays.append(.confirmFork(agent: id, checkpoint: cp, mode: m.forkMode))
            case .agent(let id)?, .noCheckpoints(let id)?: m.overlays.append(.confirmFork(agent: id, checkpoint: nil, mode: m.forkMode))
            default: break
            }
        case .rewind:
            return CheckpointActions.rewind(&m, now)
        case .open:
            if let id = m.tree.selectedAgent, id != m.info.agentId { return [.open(id)] }
        default: return global(cmd, &m, now)
        }
        return []
    }
}
