import Foundation
import KodeKernel

/// The update step: applies an action to the model and returns the effects to run.
public enum Update {
    /// Applies `action` at time `now`.
    public static func apply(_ action: AppAction, to model: inout AppModel, now: Date = Date()) -> [Effect] {
        switch action {
        case .input(.paste(let text)):
            return paste(text, &model, now)
        case .input(.key(let key)):
            return handle(key, &model, now)
        case .event(let env):
            model.apply(env, now: now)
            return []
        case .tick:
            if let until = model.flashUntil, until <= now {
                model.flash = nil
                model.flashUntil = nil
            }
            return []
        case .resize(let w, let h):
            model.width = w
            model.height = h
            return []
        case .agentsLoaded(let nodes):
            model.tree.load(nodes)
            if let cur = model.tree.current {
                model.tree.select(agent: cur)
                if model.tree.nodes[cur]?.checkpoints == nil { return [.loadCheckpoints(cur)] }
            }
            return []
        case .checkpointsLoaded(let id, let cps):
            model.tree.setCheckpoints(cps, for: id)
            return []
        case .sent(let inputId, let text):
            model.conversation.assignInputId(inputId, toText: text)
            return []
        case .previewReady(let title, let conv):
            var lines: [String] = []
            let width = max(model.width - 8, 10)
            for item in conv.items {
                for l in ItemLines.make(item, width: width, unicode: model.unicode, now: now) { lines.append(l.text) }
            }
            model.overlays.append(.preview(title: title, lines: lines, scroll: max(lines.count - (model.height - 4), 0)))
            return []
        case .editorClosed(let text):
            model.composer.setText(text.hasSuffix("\n") ? String(text.dropLast()) : text)
            model.focus = .composer
            return []
        case .failed(let message):
            model.flash(message, now: now, seconds: 5)
            model.monitor.note(message, role: .error, at: now)
            return []
        case .forked(let node):
            model.tree.addAgent(node)
            model.monitor.note("forked \(node.id)" + (node.parent.map { " from \($0.agentId)@\($0.seq)" } ?? ""), role: .accent, category: .lineage, at: now)
            return []
        }
    }

    // MARK: keys

    static func handle(_ key: Key, _ m: inout AppModel, _ now: Date) -> [Effect] {
        let km = m.keymap
        // Ctrl+C, redraw and suspend work everywhere, even over the modal and overlays.
        if let g = km.globalCommand(for: key), [.interrupt, .redraw, .suspend].contains(g) {
            return global(g, &m, now)
        }
        if let top = m.overlays.last {
            return overlayKey(key, top, &m, now)
        }
        if m.modalVisible {
            return approvalKey(key, &m, now)
        }
        if key == .esc {
            if m.isBusy { return [.interrupt] }
            if m.focus != .composer { m.focus = .composer }
            return []
        }
        let context = m.focus.context
        if let cmd = km.contextCommand(for: key, in: context) {
            switch context {
            case .composer: return composerCommand(cmd, &m, now)
            case .conversation: return conversationCommand(cmd, &m, now)
            case .monitor: return monitorCommand(cmd, &m, now)
            case .tree: return treeCommand(cmd, &m, now)
            default: break
            }
        }
        if m.focus == .composer, case .char(let c) = key {
            // In the composer printable characters are text (`?` too: help is F1 there).
            m.composer.insert(String(c))
            return []
        }
        if let g = km.globalCommand(for: key) { return global(g, &m, now) }
        // Unbound keys in the composer edit text; elsewhere a printable key starts typing.
        switch key {
        case .char(let c):
            m.focus = .composer
            m.composer.insert(String(c))
        case .backspace where m.focus == .composer: m.composer.backspace()
        case .delete where m.focus == .composer: m.composer.deleteForward()
        case .left where m.focus == .composer: m.composer.moveLeft()
        case .right where m.focus == .composer: m.composer.moveRight()
        default: break
        }
        return []
    }

    static func global(_ cmd: Command, _ m: inout AppModel, _ now: Date) -> [Effect] {
        switch cmd {
        case .interrupt:
            if let last = m.lastCtrlC, now.timeIntervalSince(last) <= AppModel.quitWindow {
                m.quitting = true
                return [.quit]
            }
            m.lastCtrlC = now
            m.flash("Press Ctrl+C again within 1.5 s to quit", now: now, seconds: AppModel.quitWindow)
            return m.isBusy ? [.interrupt] : []
        case .redraw: return [.redraw]
        case .suspend: return [.suspend]
        case .focusNext, .focusPrev:
            let order: [Pane] = [.composer, .conversation, .monitor, .tree]
            let i = order.firstIndex(of: m.focus) ?? 0
            m.focus = order[(i + (cmd == .focusNext ? 1 : order.count - 1)) % order.count]
            return []
        case .help:
            m.overlays.append(.help(scroll: 0))
            return []
        case .focusTree:
            m.focus = .tree
            if let cur = m.tree.current { m.tree.select(agent: cur) }
            return []
        case .continueTurn:
            return [.continueTurn]
        default:
            return []
        }
    }

    static func composerCommand(_ cmd: Command, _ m: inout AppModel, _ now: Date) -> [Effect] {
        switch cmd {
        case .submit:
            guard !m.composer.isBlank else { return [] }
            let text = m.composer.take()
            m.conversation.addUser(text, inputId: nil, queued: m.isBusy, at: now)
            m.scroll.follow = true
            m.scroll.newOutput = false
            return [.send(text)]
        case .newline: m.composer.newline()
        case .editor: return [.editor(m.composer.text)]
        case .lineStart: m.composer.lineStart()
        case .lineEnd: m.composer.lineEnd()
        case .deleteWord: m.composer.deleteWord()
        case .killToStart: m.composer.killToStart()
        case .killToEnd: m.composer.killToEnd()
        case .historyPrev: m.composer.up()
        case .historyNext: m.composer.down()
        default: return global(cmd, &m, now)
        }
        return []
    }

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
                return []
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
        case .search:
            m.overlays.append(.search(pane: .conversation, query: ""))
        case .searchNext, .searchPrev:
            searchConversation(&m, forward: cmd == .searchNext, now: now, width: w, height: h)
        default: return global(cmd, &m, now)
        }
        return []
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
            m.overlays.append(.label(text: ""))
        case .fork:
            switch m.tree.selected?.kind {
            case .checkpoint(let id, let cp)?: m.overlays.append(.confirmFork(agent: id, checkpoint: cp))
            case .agent(let id)?: m.overlays.append(.confirmFork(agent: id, checkpoint: nil))
            default: break
            }
        case .open:
            if let id = m.tree.selectedAgent, id != m.info.agentId { return [.open(id)] }
        default: return global(cmd, &m, now)
        }
        return []
    }

    // MARK: overlays and the modal

    static func overlayKey(_ key: Key, _ top: Overlay, _ m: inout AppModel, _ now: Date) -> [Effect] {
        let last = m.overlays.count - 1
        switch top {
        case .help(let scroll):
            switch key {
            case .char("j"), .down: m.overlays[last] = .help(scroll: scroll + 1)
            case .char("k"), .up: m.overlays[last] = .help(scroll: max(scroll - 1, 0))
            default: m.overlays.removeLast()
            }
        case .preview(let title, let lines, let scroll):
            switch key {
            case .char("j"), .down: m.overlays[last] = .preview(title: title, lines: lines, scroll: scroll + 1)
            case .char("k"), .up: m.overlays[last] = .preview(title: title, lines: lines, scroll: max(scroll - 1, 0))
            case .pageDown: m.overlays[last] = .preview(title: title, lines: lines, scroll: scroll + 10)
            case .pageUp: m.overlays[last] = .preview(title: title, lines: lines, scroll: max(scroll - 10, 0))
            default: m.overlays.removeLast()
            }
        case .confirmFork(let agent, let cp):
            m.overlays.removeLast()
            if key == .char("y") || key == .char("Y") { return [.fork(agent: agent, checkpoint: cp)] }
            m.flash("fork cancelled", now: now)
        case .search(let pane, let query):
            switch key {
            case .esc: m.overlays.removeLast()
            case .enter:
                m.overlays.removeLast()
                m.searchQuery[pane] = query
                if pane == .monitor { return monitorCommand(.searchNext, &m, now) }
                return conversationCommand(.searchNext, &m, now)
            case .backspace: m.overlays[last] = .search(pane: pane, query: String(query.dropLast()))
            case .char(let c): m.overlays[last] = .search(pane: pane, query: query + String(c))
            default: break
            }
        case .label(let text):
            switch key {
            case .esc: m.overlays.removeLast()
            case .enter:
                m.overlays.removeLast()
                return [.checkpoint(label: text)]
            case .backspace: m.overlays[last] = .label(text: String(text.dropLast()))
            case .char(let c): m.overlays[last] = .label(text: text + String(c))
            default: break
            }
        }
        return []
    }

    static func approvalKey(_ key: Key, _ m: inout AppModel, _ now: Date) -> [Effect] {
        if let shown = m.approvals.shownAt, now.timeIntervalSince(shown) < AppModel.activationGuard {
            // A key held down from the composer must not answer a modal that just opened.
            return []
        }
        guard let req = m.approvals.current else { return [] }
        if let note = m.approvals.note {
            switch key {
            case .enter:
                m.approvals.note = nil
                let trimmed = note.trimming(" ")
                return [.decide(callId: req.callId, decision: .deny, note: trimmed.isEmpty ? nil : trimmed, scope: .once)]
            case .esc: m.approvals.note = nil
            case .backspace: m.approvals.note = String(note.dropLast())
            case .char(let c): m.approvals.note = note + String(c)
            default: break
            }
            return []
        }
        if key == .esc {
            if m.approvals.expanded { m.approvals.expanded = false }
            return []
        }
        if let g = m.keymap.globalCommand(for: key), g == .help {
            m.overlays.append(.help(scroll: 0))
            return []
        }
        if m.approvals.expanded {
            // The full input can be longer than the modal: arrows and pages scroll it.
            switch key {
            case .up: m.approvals.inputScroll = max(m.approvals.inputScroll - 1, 0); return []
            case .down: m.approvals.inputScroll = min(m.approvals.inputScroll + 1, ApprovalModal.expandedOverflow(m)); return []
            case .pageUp: m.approvals.inputScroll = max(m.approvals.inputScroll - 10, 0); return []
            case .pageDown: m.approvals.inputScroll = min(m.approvals.inputScroll + 10, ApprovalModal.expandedOverflow(m)); return []
            default: break
            }
        }
        guard let cmd = m.keymap.command(for: key, in: .approval) else { return [] }
        switch cmd {
        case .approve: return [.decide(callId: req.callId, decision: .allow, note: nil, scope: .once)]
        case .approveAlways: return [.decide(callId: req.callId, decision: .allow, note: nil, scope: .always)]
        case .deny: m.approvals.note = ""
        case .expandInput: m.approvals.expanded.toggle()
        case .prevApproval: m.approvals.previous()
        case .nextApproval: m.approvals.next()
        default: break
        }
        return []
    }

    static func paste(_ text: String, _ m: inout AppModel, _ now: Date) -> [Effect] {
        // A paste is text, never a command: newlines stay in the composer and never submit.
        if case .search(let pane, let q)? = m.overlays.last {
            m.overlays[m.overlays.count - 1] = .search(pane: pane, query: q + text.replacingOccurrences(of: "\n", with: " "))
            return []
        }
        if m.modalVisible || !m.overlays.isEmpty { return [] }
        m.focus = .composer
        m.composer.insert(text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n"))
        return []
    }
}
