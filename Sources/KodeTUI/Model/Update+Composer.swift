import Foundation

// The composer: its commands and pasted text.
extension Update {
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
