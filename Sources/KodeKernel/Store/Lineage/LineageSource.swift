import Foundation

/// What a store must answer about one agent on its own, ignoring forks. `Lineage` builds the
/// fork-resolved view (a child's history is its parent's prefix, then its own records) on top of
/// it, so every store resolves forks the same way.
protocol LineageSource {
    /// The agent's manifest.
    func manifest(_ id: AgentID) throws -> AgentManifest
    /// The agent's own records with `after < seq <= through` (no upper bound when `through` is nil), in order.
    func ownRecords(_ id: AgentID, after: UInt64, through: UInt64?) throws -> [LogRecord]
    /// The agent's own newest snapshot with `seq <= atMost` (any seq when nil).
    func newestOwnSnapshot(_ id: AgentID, atMost: UInt64?) throws -> StoredSnapshot?
}

/// One stretch of a resolved lineage: `agent`'s own records up to `through` (inclusive; nil = all).
struct LineageStretch: Sendable, Hashable {
    var agent: AgentID
    var through: UInt64?
}

/// Fork resolution shared by every store.
enum Lineage {
    /// Forks deeper than this are treated as a broken manifest chain rather than followed forever.
    static let maxDepth = 10_000

    /// The stretches that make up `id`'s history, oldest ancestor first.
    ///
    /// A child forked from `P` at seq `s` sees `P`'s own lineage capped at `s`, so a fork of a
    /// fork caps every ancestor by the smallest fork seq below it.
    static func stretches(of id: AgentID, in source: some LineageSource) throws -> [LineageStretch] {
        var chain: [LineageStretch] = []
        var current = id
        var cap: UInt64? = nil
        var seen: Set<AgentID> = []
        while true {
            guard seen.insert(current).inserted, seen.count <= maxDepth else {
                throw StoreError.corrupted(file: "agents/\(id)/manifest.json", offset: 0, detail: "fork lineage loops back to \(current)")
            }
            chain.append(LineageStretch(agent: current, through: cap))
            guard let parent = try source.manifest(current).parent else { break }
            cap = cap.map { min($0, parent.seq) } ?? parent.seq
            current = parent.agentId
        }
        return chain.reversed()
    }

    /// Every record of `id`'s lineage with `seq > after`, in order.
    static func records(of id: AgentID, after: UInt64, in source: some LineageSource) throws -> [LogRecord] {
        var result: [LogRecord] = []
        for stretch in try stretches(of: id, in: source) {
            if let through = stretch.through, through <= after { continue }
            result.append(contentsOf: try source.ownRecords(stretch.agent, after: after, through: stretch.through))
        }
        return result
    }

    /// The newest snapshot usable by `id` (its own, or an ancestor's taken at or before the fork
    /// point) and every lineage record after it.
    static func history(of id: AgentID, in source: some LineageSource) throws -> AgentHistory {
        let chain = try stretches(of: id, in: source)
        var snapshot: StoredSnapshot? = nil
        // Newest stretch first: a later stretch's snapshot always covers more of the lineage.
        for stretch in chain.reversed() {
            if let found = try source.newestOwnSnapshot(stretch.agent, atMost: stretch.through) {
                snapshot = found
                break
            }
        }
        let records = try Lineage.records(of: id, after: snapshot?.seq ?? 0, in: source)
        return AgentHistory(manifest: try source.manifest(id), snapshot: snapshot, records: records)
    }
}
