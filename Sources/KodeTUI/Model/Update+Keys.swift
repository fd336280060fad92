import Foundation

// Key routing: which part of the app a key goes to (overlays, the modal, the focused pane),
// and the commands that work in every pane.
extension Update {
    static func handle(_ key: Key, _ m: inout AppModel, _ now: Date) -> [Effect] {
        let km = m.keymap
        // Ctrl+C, redraw, suspend and detach work everywhere, even over the modal and overlays
        // (detaching with a request pending leaves it pending for another terminal).
        if let g = km.globalCommand(for: key), [.interrupt, .redraw, .suspend, .detach].contains(g) {
            return global(g, &m, now)
        }
        // The screen shows only that it is too small: nothing else may act unseen (an approval
        // answered, text typed into a hidden composer).
        if LayoutPlan.isTooSmall(width: m.width, height: m.height) { return [] }
        if let top = m.overlays.last {
            return overlayKey(key, top, &m, now)
        }
        if m.modalVisible {
            return approvalKey(key, &m, now)
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
            m.slashSelection = 0
            return []
        }
        if let g = km.globalCommand(for: key) { return global(g, &m, now) }
        // Unbound keys in the composer edit text; elsewhere a printable key starts typing.
        switch key {
        case .char(let c):
            m.focus = .composer
            m.composer.insert(String(c))
        case .backspace where m.focus == .composer:
            m.composer.backspace()
            m.slashSelection = 0
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
        case .cancel:
            if m.isBusy { return [.interrupt] }
            if m.focus != .composer { m.focus = .composer }
            return []
        case .agents:
            return openAgents(&m)
        case .detach:
            // As in a shell: Ctrl+D ends only on an empty line; with text it deletes forward.
            guard m.composer.isBlank else {
                if m.focus == .composer { m.composer.deleteForward() }
                return []
            }
            m.quitting = true
            return [.detach]
        default:
            return []
        }
    }
}
