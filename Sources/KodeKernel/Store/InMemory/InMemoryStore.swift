import Foundation
import Synchronization

/// An `AgentStore` that keeps everything in memory: for tests, demos and embedders that do not
/// want files. It keeps the same rules as `FileStore` (one writer per agent, strictly increasing
/// seqs, fork lineage, deletion refused while forks point at an agent) but nothing survives the
/// process.
public final class InMemoryStore: AgentStore {
    struct AgentData {
        var manifest: AgentManifest
        var records: [LogRecord] = []
        var snapshots: [StoredSnapshot] = []
        var writerOpen = false
    }

    let agents = Mutex<[AgentID: AgentData]>([:])

    /// An empty store.
    public init() {}

    /// Records a new agent (its parent, for a fork, must exist). Nothing here survives the
    /// process, so both durabilities are the same.
    public func create(_ manifest: AgentManifest, durability: CreationDurability) async throws {
        try agents.withLock { agents in
            guard agents[manifest.id] == nil else { throw StoreError.alreadyExists(manifest.id) }
            if let parent = manifest.parent, agents[parent.agentId] == nil {
                throw StoreError.notFound(parent.agentId)
            }
            agents[manifest.id] = AgentData(manifest: manifest)
        }
    }

    /// Every agent, oldest first.
    public func list() async throws -> [AgentManifest] {
        agents.withLock { $0.values.map(\.manifest) }.sorted { ($0.created, $0.id) < ($1.created, $1.id) }
    }

    /// One agent's manifest.
    public func manifest(of id: AgentID) async throws -> AgentManifest {
        try agents.withLock { try Self.data(id, in: $0).manifest }
    }

    /// The agent's only writer; a second one gets `StoreError.locked(id, holder: "this process")`.
    public func openWriter(_ id: AgentID) async throws -> any AgentLogWriter {
        let lastSeq = try agents.withLock { agents -> UInt64 in
            var data = try Self.data(id, in: agents)
            guard !data.writerOpen else { throw StoreError.locked(id, holder: "this process") }
            data.writerOpen = true
            agents[id] = data
            return data.records.last?.seq ?? data.manifest.parent?.seq ?? 0
        }
        return InMemoryLogWriter(store: self, id: id, lastSeq: lastSeq)
    }

    /// Newest usable snapshot and the lineage records after it.
    public func history(of id: AgentID) async throws -> AgentHistory {
        let view = agents.withLock { Snapshot(agents: $0) }
        return try Lineage.history(of: id, in: view)
    }

    /// Lineage records after `after`.
    public func records(of id: AgentID, after: UInt64) async throws -> [LogRecord] {
        let view = agents.withLock { Snapshot(agents: $0) }
        return try Lineage.records(of: id, after: after, in: view)
    }

    /// Removes the agent; refused while forks point at it or its writer is open.
    public func delete(_ id: AgentID) async throws {
        try agents.withLock { agents in
            let data = try Self.data(id, in: agents)
            let children = agents.values.filter { $0.manifest.parent?.agentId == id }.map(\.manifest.id).sorted()
            guard children.isEmpty else { throw StoreError.hasChildren(id, children: children) }
            guard !data.writerOpen else { throw StoreError.locked(id, holder: "this process") }
            agents[id] = nil
        }
    }

    static func data(_ id: AgentID, in agents: [AgentID: AgentData]) throws -> AgentData {
        guard let data = agents[id] else { throw StoreError.notFound(id) }
        return data
    }

    /// A consistent copy of the store taken under the lock, so lineage resolution reads one moment.
    struct Snapshot: LineageSource {
        let agents: [AgentID: AgentData]

        func manifest(_ id: AgentID) throws -> AgentManifest { try InMemoryStore.data(id, in: agents).manifest }

        func ownRecords(_ id: AgentID, after: UInt64, through: UInt64?) throws -> [LogRecord] {
            let records = try InMemoryStore.data(id, in: agents).records
            // Records are sorted by seq, so binary search finds the start.
            var low = 0, high = records.count
            while low < high {
                let mid = (low + high) / 2
                if records[mid].seq <= after { low = mid + 1 } else { high = mid }
            }
            var result: [LogRecord] = []
            for record in records[low...] {
                if let through, record.seq > through { break }
                result.append(record)
            }
            return result
        }

        func newestOwnSnapshot(_ id: AgentID, atMost: UInt64?) throws -> StoredSnapshot? {
            try InMemoryStore.data(id, in: agents).snapshots.last { atMost == nil || $0.seq <= atMost! }
        }
    }
}

/// The writer handed out by `InMemoryStore.openWriter`.
final class InMemoryLogWriter: AgentLogWriter {
    private let store: InMemoryStore
    private let id: AgentID
    private let state: Mutex<(lastSeq: UInt64, closed: Bool)>

    init(store: InMemoryStore, id: AgentID, lastSeq: UInt64) {
        self.store = store
        self.id = id
        self.state = Mutex((lastSeq, false))
    }

    nonisolated(nonsending) func append(_ records: [LogRecord], durability: Durability) async throws {
        try state.withLock { state in
            guard !state.closed else { throw StoreError.readOnly(id, reason: "the writer was closed") }
            try SeqOrder.check(records, after: state.lastSeq, agent: id)
            try store.agents.withLock { agents in
                guard agents[id] != nil else { throw StoreError.notFound(id) }
                // Mutate in place: copying the entry out and back would copy the whole log.
                agents[id]?.records.append(contentsOf: records)
            }
            if let last = records.last { state.lastSeq = last.seq }
        }
    }

    nonisolated(nonsending) func sync() async throws {
        try state.withLock { state in
            guard !state.closed else { throw StoreError.readOnly(id, reason: "the writer was closed") }
        }
    }

    func writeSnapshot(_ snapshot: StoredSnapshot) async throws {
        try state.withLock { state in
            guard !state.closed else { throw StoreError.readOnly(id, reason: "the writer was closed") }
            try store.agents.withLock { agents in
                guard var data = agents[id] else { throw StoreError.notFound(id) }
                data.snapshots.removeAll { $0.seq >= snapshot.seq }
                data.snapshots.append(snapshot)
                agents[id] = data
            }
        }
    }

    func close() async throws {
        let wasOpen = state.withLock { state -> Bool in
            defer { state.closed = true }
            return !state.closed
        }
        guard wasOpen else { return }
        store.agents.withLock { agents in agents[id]?.writerOpen = false }
    }
}
