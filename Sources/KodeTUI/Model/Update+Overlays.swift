import Foundation

// Overlays over the panes: help, transcript preview, fork confirmation, search and label prompts.
extension Update {
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
        case .confirmFork, .confirmRewind:
            return CheckpointActions.overlayKey(key, top, &m, now)
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
}
