import Foundation
import KodeKernel

/// The agents view: every agent of the store with a filter typed by the person. Rows arrive
/// from the hub's listing at once; titles (and the state of agents nobody has open) come in
/// afterwards, a few at a time, so the first frame never waits on reading a thousand logs.
package struct AgentsViewState: Sendable, Hashable {
    package private(set) var rows: [AgentRow] = []
    /// What the person typed: rows whose title, id or model contain it (case-insensitive).
    package private(set) var query = ""
    /// Indices into `rows` of the rows shown, newest first.
    package private(set) var shown: [Int] = []
    /// The selected row, an index into `shown`.
    package var selection = 0
    /// The listing is on its way.
    package var loading = true
    /// Agents whose details have been read (a title may still be nil: no prompt yet).
    package private(set) var detailed: Set<AgentID> = []
    /// The agent the app shows (marked in the list).
    package var current: AgentID?

    package init(current: AgentID?) { self.current = current }

    /// The hub's listing arrived.
    package mutating func load(_ list: [AgentRow]) {
        let keep = Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        rows = list.map { row in
            var row = row
            if let old = keep[row.id] {
                if row.title == nil { row.title = old.title }
                if row.activity == .stored { row.activity = old.activity }
            }
            return row
        }.sorted { $0.created == $1.created ? $0.id > $1.id : $0.created > $1.created }
        loading = false
        refilter()
        if let current, let i = shown.firstIndex(where: { rows[$0].id == current }) { selection = i }
    }

    /// Details of one agent arrived (its title, and its state when nobody has it open).
    package mutating func detail(_ id: AgentID, title: String?, activity: AgentActivity?) {
        detailed.insert(id)
        guard let i = rows.firstIndex(where: { $0.id == id }) else { return }
        rows[i].title = title ?? rows[i].title
        if let activity, rows[i].activity == .stored { rows[i].activity = activity }
        if !query.isEmpty { refilter() }
    }

    /// The agent was renamed: `title` is what it shows now (its first prompt when the title was removed).
    package mutating func renamed(_ id: AgentID, title: String?) {
        guard let i = rows.firstIndex(where: { $0.id == id }) else { return }
        rows[i].title = title
        refilter()
    }

    /// Agents whose details are still unknown, in list order.
    package var missingDetails: [AgentID] { rows.lazy.filter { !detailed.contains($0.id) }.map(\.id) }

    package var selected: AgentRow? { shown.indices.contains(selection) ? rows[shown[selection]] : nil }

    package mutating func type(_ text: String) {
        query += text
        refilter()
    }

    package mutating func deleteBack() {
        guard !query.isEmpty else { return }
        query.removeLast()
        refilter()
    }

    package mutating func move(by delta: Int) {
        selection = min(max(selection + delta, 0), max(shown.count - 1, 0))
    }

    private mutating func refilter() {
        let q = query.lowercased()
        shown = rows.indices.filter { i in
            guard !q.isEmpty else { return true }
            let r = rows[i]
            return r.id.lowercased().contains(q) || r.model.lowercased().contains(q) || (r.title?.lowercased().contains(q) ?? false)
                || r.activity.rawValue.contains(q)
        }
        selection = min(selection, max(shown.count - 1, 0))
    }
}
