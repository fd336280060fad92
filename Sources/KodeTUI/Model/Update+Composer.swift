import Foundation

// The composer: its commands and pasted text.
extension Update {
    static func composerCommand(_ cmd: Command, _ m: inout AppModel, _ now: Date) -> [Effect] {
        switch cmd {
        case .submit:
            guard !m.composer.isBlank else { return [] }
            if SlashLine(m.composer.text) != nil {
                // The popup's row when the name is still being typed, else the line as written.
                if SlashLine.typingName(m.composer.text), let pick = slashPopup(m).dropFirst(m.slashSelection).first,
                   SlashCommand.named(String(m.composer.text.dropFirst())) == nil {
                    m.composer.setText("/" + pick.name.rawValue)
                }
                let line = m.composer.take()
                m.slashSelection = 0
                return slash(line, &m, now)
            }
            var text = m.composer.take()
            // `//…` sends a message that starts with a slash.
            if text.hasPrefix("//") { text.removeFirst() }
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
        case .historyPrev, .historyNext:
            let popup = slashPopup(m)
            if !popup.isEmpty {
                m.slashSelection = (m.slashSelection + (cmd == .historyNext ? 1 : popup.count - 1)) % popup.count
            } else if cmd == .historyPrev {
                m.composer.up()
            } else {
                m.composer.down()
            }
        case .complete:
            let popup = slashPopup(m)
            guard let pick = popup.dropFirst(m.slashSelection).first else { return global(.focusNext, &m, now) }
            m.composer.setText("/" + pick.name.rawValue + (pick.arguments.isEmpty ? "" : " "))
            m.slashSelection = 0
        default: return global(cmd, &m, now)
        }
        return []
    }

    /// The commands the popup offers for what the composer holds (none unless a `/name` is
    /// being typed).
    package static func slashPopup(_ m: AppModel) -> [SlashCommand] {
        guard m.composer.lines.count == 1, SlashLine.typingName(m.composer.text) else { return [] }
        return SlashCommand.completions(String(m.composer.text.dropFirst()))
    }

    static func paste(_ text: String, _ m: inout AppModel, _ now: Date) -> [Effect] {
        // A paste is text, never a command: newlines stay in the composer and never submit.
        // Nothing goes into a composer the screen does not show.
        if LayoutPlan.isTooSmall(width: m.width, height: m.height) { return [] }
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
