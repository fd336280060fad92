import Foundation

// The agents view: every agent of the store, a filter typed into it, switching and new agents.
extension Update {
    /// Opens the agents view and asks for the listing.
    static func openAgents(_ m: inout AppModel) -> [Effect] {
        if case .agents? = m.overlays.last { return [] }
        m.overlays.append(.agents(AgentsViewState(current: m.info.agentId)))
        return [.listAgents]
    }

    static func agentsKey(_ key: Key, _ view: inout AgentsViewState, _ m: inout AppModel, _ now: Date) -> [Effect] {
        let last = m.overlays.count - 1
        defer { if m.overlays.indices.contains(last), case .agents = m.overlays[last] { m.overlays[last] = .agents(view) } }
        switch m.keymap.contextCommand(for: key, in: .agents) {
        case .scrollUp?: view.move(by: -1)
        case .scrollDown?: view.move(by: 1)
        case .pageUp?: view.move(by: -10)
        case .pageDown?: view.move(by: 10)
        case .close?: m.overlays.removeLast()
        case .newAgent?:
            m.overlays.removeLast()
            return [.newAgent(prompt: nil)]
        case .rename?:
            guard let row = view.selected else { return [] }
            // The prompt goes over the view, which stays open under it to show the new title.
            m.overlays.append(.rename(agent: row.id, text: row.title ?? ""))
        case .open?:
            guard let row = view.selected else { return [] }
            m.overlays.removeLast()
            if row.id == m.info.agentId { return [] }
            return [.open(row.id)]
        default:
            switch key {
            case .backspace: view.deleteBack()
            case .char(let c): view.type(String(c))
            default: break
            }
        }
        return []
    }
}
