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
            switch key {
            case .enter:
                m.approvals.note = nil
                m.decidedHere.insert(req.callId)
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
        case .approve:
            m.decidedHere.insert(req.callId)
            return [.decide(callId: req.callId, decision: .allow, note: nil, scope: .once)]
        case .approveAlways:
            m.decidedHere.insert(req.callId)
            return [.decide(callId: req.callId, decision: .allow, note: nil, scope: .always)]
        case .deny: m.approvals.note = ""
        case .expandInput: m.approvals.expanded.toggle()
        case .prevApproval: m.approvals.previous()
        case .nextApproval: m.approvals.next()
        default: break
        }
        return []
    }
}
