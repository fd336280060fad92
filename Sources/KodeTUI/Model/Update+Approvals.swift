import Foundation

// The approval modal: the activation guard, the deny note, scrolling a long input, the choices.
extension Update {
    static func approvalKey(_ key: Key, _ m: inout AppModel, _ now: Date) -> [Effect] {
        if let shown = m.approvals.shownAt, now.timeIntervalSince(shown) < AppModel.activationGuard {
            // A key held down from the composer must not answer a modal that just opened.
            return []
        }
        guard let req = m.approvals.current else { return [] }
        if let note = m.approvals.note {
            switch (m.keymap.contextCommand(for: key, in: .prompt), key) {
            case (.apply?, _):
                m.approvals.note = nil
                m.decidedHere.insert(req.callId)
                let trimmed = note.trimming(" ")
                return [.decide(callId: req.callId, decision: .deny, note: trimmed.isEmpty ? nil : trimmed, scope: .once)]
            case (.cancel?, _): m.approvals.note = nil
            case (_, .backspace): m.approvals.note = String(note.dropLast())
            case (_, .char(let c)): m.approvals.note = note + String(c)
            default: break
            }
            return []
        }
        if let g = m.keymap.globalCommand(for: key), g == .help, m.keymap.contextCommand(for: key, in: .approval) == nil {
            m.overlays.append(.help(scroll: 0))
            return []
        }
        guard let cmd = m.keymap.command(for: key, in: .approval) else { return [] }
        // The full input can be longer than the modal: the scroll commands move it.
        let overflow = m.approvals.expanded ? ApprovalModal.expandedOverflow(m) : 0
        switch cmd {
        case .cancel: m.approvals.expanded = false
        case .scrollUp: m.approvals.inputScroll = max(m.approvals.inputScroll - 1, 0)
        case .scrollDown: m.approvals.inputScroll = min(m.approvals.inputScroll + 1, overflow)
        case .pageUp: m.approvals.inputScroll = max(m.approvals.inputScroll - 10, 0)
        case .pageDown: m.approvals.inputScroll = min(m.approvals.inputScroll + 10, overflow)
        case .approve, .approveAlways, .denyAlways, .approveProject, .denyProject:
            guard let choice = ApprovalChoice.of(cmd) else { return [] }
            m.decidedHere.insert(req.callId)
            return [.decide(callId: req.callId, decision: choice.decision, note: nil, scope: choice.scope)]
        case .deny: m.approvals.note = ""
        case .expandInput: m.approvals.expanded.toggle()
        case .prevApproval: m.approvals.previous()
        case .nextApproval: m.approvals.next()
        default: break
        }
        return []
    }
}
