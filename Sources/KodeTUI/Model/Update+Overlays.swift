import Foundation

// Overlays over the panes: help, transcript preview, fork confirmation, search, label and
// rename prompts, the agents view. Every key they take is a binding of `Keymap` (contexts
// `overlay`, `confirm`, `prompt`, `agents`); only typed characters and Backspace edit a prompt's text.
extension Update {
    static func overlayKey(_ key: Key, _ top: Overlay, _ m: inout AppModel, _ now: Date) -> [Effect] {
        let last = m.overlays.count - 1
        let km = m.keymap
        switch top {
        case .help(let scroll):
            switch km.contextCommand(for: key, in: .overlay) {
            case .scrollDown?: m.overlays[last] = .help(scroll: scroll + 1)
            case .scrollUp?: m.overlays[last] = .help(scroll: max(scroll - 1, 0))
            case .pageDown?: m.overlays[last] = .help(scroll: scroll + 10)
            case .pageUp?: m.overlays[last] = .help(scroll: max(scroll - 10, 0))
            default: m.overlays.removeLast()
            }
        case .preview(let title, let lines, let scroll):
            switch km.contextCommand(for: key, in: .overlay) {
            case .scrollDown?: m.overlays[last] = .preview(title: title, lines: lines, scroll: scroll + 1)
            case .scrollUp?: m.overlays[last] = .preview(title: title, lines: lines, scroll: max(scroll - 1, 0))
            case .pageDown?: m.overlays[last] = .preview(title: title, lines: lines, scroll: scroll + 10)
            case .pageUp?: m.overlays[last] = .preview(title: title, lines: lines, scroll: max(scroll - 10, 0))
            default: m.overlays.removeLast()
            }
        case .confirmFork, .confirmRewind:
            return CheckpointActions.overlayKey(key, top, &m, km, now)
        case .search(let pane, let query):
            switch (km.contextCommand(for: key, in: .prompt), key) {
            case (.cancel?, _): m.overlays.removeLast()
            case (.apply?, _):
                m.overlays.removeLast()
                m.searchQuery[pane] = query
                if pane == .monitor { return monitorCommand(.searchNext, &m, now) }
                return conversationCommand(.searchNext, &m, now)
            case (_, .backspace): m.overlays[last] = .search(pane: pane, query: String(query.dropLast()))
            case (_, .char(let c)): m.overlays[last] = .search(pane: pane, query: query + String(c))
            default: break
            }
        case .label(let text, let at):
            switch (km.contextCommand(for: key, in: .prompt), key) {
            case (.cancel?, _): m.overlays.removeLast()
            case (.apply?, _):
                m.overlays.removeLast()
                return [.checkpoint(label: text, at: at?.id)]
            case (_, .backspace): m.overlays[last] = .label(text: String(text.dropLast()), at: at)
            case (_, .char(let c)): m.overlays[last] = .label(text: text + String(c), at: at)
            default: break
            }
        case .rename(let agent, let text):
            switch (km.contextCommand(for: key, in: .prompt), key) {
            case (.cancel?, _): m.overlays.removeLast()
            case (.apply?, _):
                m.overlays.removeLast()
                return [.rename(agent: agent, title: text)]
            case (_, .backspace): m.overlays[last] = .rename(agent: agent, text: String(text.dropLast()))
            case (_, .char(let c)): m.overlays[last] = .rename(agent: agent, text: text + String(c))
            default: break
            }
        case .agents(var view):
            return agentsKey(key, &view, &m, now)
        }
        return []
    }
}
