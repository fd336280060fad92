import Foundation
import KodeKernel

/// One agent of the store, for the checkpoint tree.
package struct AgentNode: Sendable, Hashable {
    package var id: AgentID
    package var parent: ParentRef?
    /// For a sub-agent: the agent whose `task_run` spawned it (it shows under that agent).
    package var spawnedBy: SpawnRef?
    package var created: Date
    package var model: String
    /// Its own safe fork points (those after the fork point, for a child); nil until loaded.
    package var checkpoints: [Checkpoint]?
    /// Checkpoint id → paths the step before it changed in the work directory (from its
    /// workspace snapshot); absent when unknown.
    package var fileChanges: [String: Int] = [:]
    /// The seq up to which `fileChanges` has been asked for (a turn's end asks for what follows).
    package var fileChangesThrough: UInt64 = 0

    /// A node from a manifest, checkpoints not yet loaded.
    package init(manifest: AgentManifest) {
        id = manifest.id
        parent = manifest.parent
        spawnedBy = manifest.spawnedBy
        created = manifest.created
        model = manifest.config.provider.name + "/" + manifest.config.provider.model
        checkpoints = nil
    }

    /// A node with everything given (tests, benches).
    package init(id: AgentID, parent: ParentRef?, created: Date, model: String, checkpoints: [Checkpoint]?) {
        self.id = id
        self.parent = parent
        self.created = created
        self.model = model
        self.checkpoints = checkpoints
    }
}

/// Every agent in the store as a tree by fork lineage, each with its safe fork points.
package struct CheckpointTree: Sendable {
    /// A visible row.
    package struct Row: Sendable, Hashable {
        package enum Kind: Sendable, Hashable {
            case agent(AgentID)
            case checkpoint(AgentID, Checkpoint)
            /// Checkpoints still loading.
            case loading(AgentID)
            /// An expanded agent with no checkpoint yet (a fresh fork, an agent that never
            /// finished a step): says so, instead of an expanded node with nothing under it.
            case noCheckpoints(AgentID)
        }
        package var kind: Kind
        package var depth: Int
    }

    package private(set) var nodes: [AgentID: AgentNode] = [:]
    package private(set) var rows: [Row] = []
    /// Agents whose checkpoints are hidden. The current agent starts expanded, others collapsed.
    package private(set) var expanded: Set<AgentID> = []
    package var selection = 0
    /// The agent the conversation shows.
    package var current: AgentID?

    /// An empty tree.
    package init() {}

    /// Replaces the agents (keeps checkpoints already loaded for agents still present).
    package mutating func load(_ list: [AgentNode]) {
        var next: [AgentID: AgentNode] = [:]
        for var n in list {
            if n.checkpoints == nil { n.checkpoints = nodes[n.id]?.checkpoints }
            if n.fileChanges.isEmpty { n.fileChanges = nodes[n.id]?.fileChanges ?? [:] }
            next[n.id] = n
        }
        nodes = next
        if let current, nodes[current] != nil { expanded.insert(current) }
        rebuild()
    }

    /// Sets an agent's checkpoints.
    package mutating func setCheckpoints(_ cps: [Checkpoint], for id: AgentID) {
        nodes[id]?.checkpoints = cps.sorted { $0.seq < $1.seq }
        rebuild()
    }

    /// Adds how many files some of an agent's checkpoints changed.
    package mutating func setFileChanges(_ counts: [String: Int], for id: AgentID) {
        nodes[id]?.fileChanges.merge(counts) { _, new in new }
    }

    /// At a turn's end (`done` at `seq`): the seq to read new counts after, or nil when the
    /// agent is not in the tree. Marks everything up to `seq` as asked for.
    package mutating func fileChangesDue(for id: AgentID, through seq: UInt64) -> UInt64? {
        guard let node = nodes[id] else { return nil }
        nodes[id]?.fileChangesThrough = seq
        return node.fileChangesThrough
    }

    /// Adds one checkpoint (a live `checkpoint_created`).
    package mutating func add(_ cp: Checkpoint, to id: AgentID) {
        guard nodes[id] != nil else { return }
        var list = nodes[id]?.checkpoints ?? []
        if let i = list.firstIndex(where: { $0.id == cp.id }) { list[i] = cp } else { list.append(cp) }
        nodes[id]?.checkpoints = list
        rebuild()
    }

    /// Adds an agent (a fork made here).
    package mutating func addAgent(_ node: AgentNode) {
        nodes[node.id] = node
        rebuild()
    }

    /// The safe point of `id` just before `cp`, where a fork branches to resend `cp`'s message.
    package func checkpoint(before cp: Checkpoint, of id: AgentID) -> Checkpoint? {
        nodes[id]?.checkpoints?.last { $0.seq < cp.seq }
    }

    /// The selected row.
    package var selected: Row? { rows.indices.contains(selection) ? rows[selection] : nil }

    package mutating func moveDown() { selection = min(selection + 1, max(rows.count - 1, 0)) }
    package mutating func moveUp() { selection = max(selection - 1, 0) }

    /// `l`: shows the selected agent's checkpoints. Returns the agent when they still need loading.
    package mutating func expandSelected() -> AgentID? {
        guard let id = selectedAgent else { return nil }
        expanded.insert(id)
        rebuild()
        return nodes[id]?.checkpoints == nil ? id : nil
    }

    /// `h`: hides the selected agent's checkpoints (from a checkpoint row: its agent's).
    package mutating func collapseSelected() {
        guard let id = selectedAgent else { return }
        expanded.remove(id)
        rebuild()
        if let i = rows.firstIndex(where: { $0.kind == .agent(id) }) { selection = i }
    }

    /// Marks an agent expanded (the current one, or one just opened).
    package mutating func expand(_ id: AgentID) {
        expanded.insert(id)
        rebuild()
    }

    /// The agent of the selected row.
    package var selectedAgent: AgentID? {
        switch selected?.kind {
        case .agent(let id)?, .checkpoint(let id, _)?, .loading(let id)?, .noCheckpoints(let id)?: return id
        case nil: return nil
        }
    }

    /// Moves the selection to an agent's row.
    package mutating func select(agent id: AgentID) {
        if let i = rows.firstIndex(where: { $0.kind == .agent(id) }) { selection = i }
    }

    private mutating func rebuild() {
        var children: [AgentID: [AgentNode]] = [:]
        var roots: [AgentNode] = []
        for n in nodes.values {
            if let p = n.parent?.agentId ?? n.spawnedBy?.agentId, nodes[p] != nil { children[p, default: []].append(n) } else { roots.append(n) }
        }
        let order: (AgentNode, AgentNode) -> Bool = { $0.created == $1.created ? $0.id < $1.id : $0.created < $1.created }
        var out: [Row] = []
        out.reserveCapacity(nodes.count)
        func visit(_ n: AgentNode, _ depth: Int, _ seen: inout Set<AgentID>) {
            guard seen.insert(n.id).inserted else { return }  // a corrupt cycle never loops
            out.append(Row(kind: .agent(n.id), depth: depth))
            if expanded.contains(n.id) {
                switch n.checkpoints {
                case nil: out.append(Row(kind: .loading(n.id), depth: depth + 1))
                case let cps? where cps.isEmpty: out.append(Row(kind: .noCheckpoints(n.id), depth: depth + 1))
                case let cps?: for cp in cps { out.append(Row(kind: .checkpoint(n.id, cp), depth: depth + 1)) }
                }
            }
            for c in (children[n.id] ?? []).sorted(by: order) { visit(c, depth + 1, &seen) }
        }
        var seen = Set<AgentID>()
        for r in roots.sorted(by: order) { visit(r, 0, &seen) }
        rows = out
        selection = min(selection, max(rows.count - 1, 0))
    }
}
