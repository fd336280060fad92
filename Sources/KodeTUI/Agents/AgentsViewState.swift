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
    /// Where each agent is in `rows`, so a detail or a rename finds its row without a scan
    /// (details arrive one per agent: a scan each would make loading them quadratic).
    private var position: [AgentID: Int] = [:]
    /// Rows looked at or changed so far (tests and benches: an update should touch one row).
    package private(set) var rowWork = WorkCount()

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
        position = Dictionary(rows.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        rowWork.add(rows.count)
        loading = false
        refilter()
        if let current, let i = shown.firstIndex(where: { rows[$0].id == current }) { selection = i }
    }

    /// Details of one agent arrived (its title, and its state when nobody has it open).
    package mutating func detail(_ id: AgentID, title: String?, activity: AgentActivity?) {
        detailed.insert(id)
        guard let i = position[id] else { return }
        rows[i].title = title ?? rows[i].title
        if let activity, rows[i].activity == .stored { rows[i].activity = activity }
        rowWork.add(1)
        if !query.isEmpty { refilter(row: i) }
    }

    /// The agent was renamed: `title` is what it shows now (its first prompt when the title was removed).
    package mutating func renamed(_ id: AgentID, title: String?) {
        guard let i = position[id] else { return }
        rows[i].title = title
        rowWork.add(1)
        refilter(row: i)
    }

    /// Agents whose details are still unknown, in list order.
    package var missingDetails: [AgentID] { rows.lazy.filter { !detailed.contains($0.id) }.map(\.id) }

    /// How the view names an agent: its title once known, else its id.
    package func name(of id: AgentID) -> String {
        rows.first { $0.id == id }?.title ?? id
    }

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
        shown = rows.indices.filter { q.isEmpty || Self.matches(rows[$0], q) }
        rowWork.add(rows.count)
        selection = min(selection, max(shown.count - 1, 0))
    }

    /// Row `i` changed and nothing else did: it joins or leaves `shown` (kept in row order,
    /// found by binary search), with the same result as filtering every row again.
    private mutating func refilter(row i: Int) {
        let q = query.lowercased()
        let wanted = q.isEmpty || Self.matches(rows[i], q)
        var low = 0, high = shown.count
        while low < high {
            let mid = (low + high) / 2
            if shown[mid] < i { low = mid + 1 } else { high = mid }
        }
        let present = low < shown.count && shown[low] == i
        if wanted && !present { shown.insert(i, at: low) }
        if !wanted && present { shown.remove(at: low) }
        rowWork.add(1)
        selection = min(selection, max(shown.count - 1, 0))
    }

    /// The filter: the query (lowercased) in the id, model, title or state.
    private static func matches(_ r: AgentRow, _ q: String) -> Bool {
        r.id.lowercased().contains(q) || r.model.lowercased().contains(q) || (r.title?.lowercased().contains(q) ?? false)
            || r.activity.rawValue.contains(q)
    }
}
