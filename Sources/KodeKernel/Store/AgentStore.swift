import Foundation

/// How soon an append must be on stable storage.
public enum Durability: Sendable, Hashable {
    /// Streaming chunks: handed to the OS now, synced within ~50 ms or with the next durable append.
    case buffered
    /// Decides what happens next: on stable storage before `append` returns.
    case durable
}

/// How soon a new agent's creation must be on stable storage.
public enum CreationDurability: Sendable, Hashable {
    /// On stable storage before `create` returns.
    case immediate
    /// Visible at once, on stable storage no later than the first sync of the writer this store
    /// opens for it (its first `.durable` append, `sync()` or `close()`), which makes it durable
    /// together with the records it syncs. Until then its `.buffered` records wait for that sync
    /// too (no background flush). For an agent nothing outside depends on until it
    /// records something durable (a sub-agent: its parent's log names it first and re-creates it
    /// under that id when it is missing). A crash before that sync may leave no agent, or an
    /// unfinished one that `create` with the same id replaces. Stores whose creation costs no
    /// sync of its own may treat it as `.immediate`.
    case deferred
}

/// A serialized agent state at a seq, produced and read by the kernel; opaque to stores.
public struct StoredSnapshot: Sendable, Hashable {
    /// The last record folded into this state.
    public var seq: UInt64
    public var data: Data
    /// Where a store read it from (a file relative to the store's root), so an unreadable state
    /// can be reported by name. Not part of the value: equality and hashing ignore it.
    public var source: String?

    public init(seq: UInt64, data: Data, source: String? = nil) {
        self.seq = seq
        self.data = data
        self.source = source
    }

    public static func == (a: StoredSnapshot, b: StoredSnapshot) -> Bool {
        a.seq == b.seq && a.data == b.data
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(seq)
        hasher.combine(data)
    }
}

/// What is needed to rebuild an agent: the newest usable snapshot (possibly an ancestor's, for a
/// fork) and every record after it, in order, with the fork lineage already resolved.
public struct AgentHistory: Sendable {
    public var manifest: AgentManifest
    public var snapshot: StoredSnapshot?
    public var records: [LogRecord]
    /// Problems found and repaired on open (a torn tail cut back), for a Monitor warning.
    public var repairs: [String]

    public init(manifest: AgentManifest, snapshot: StoredSnapshot?, records: [LogRecord], repairs: [String] = []) {
        self.manifest = manifest
        self.snapshot = snapshot
        self.records = records
        self.repairs = repairs
    }
}

/// Where agents live (DESIGN §4). The file store, the in-memory store and later a PostgreSQL
/// store implement this; the agent uses nothing else.
public protocol AgentStore: Sendable {
    /// Records a new agent, on stable storage as `durability` says. Fails if the id exists.
    func create(_ manifest: AgentManifest, durability: CreationDurability) async throws
    /// Every agent's manifest (lock-free).
    func list() async throws -> [AgentManifest]
    /// One agent's manifest (lock-free).
    func manifest(of id: AgentID) async throws -> AgentManifest
    /// Takes the one-writer lock and returns the writer. A second writer gets `StoreError.locked`.
    func openWriter(_ id: AgentID) async throws -> any AgentLogWriter
    /// Snapshot plus later records, lineage resolved (lock-free). A store may repair a torn tail
    /// here when nobody holds the writer lock (the file store does); what it repaired, and what
    /// `openWriter` repaired before, is listed in `AgentHistory.repairs`.
    func history(of id: AgentID) async throws -> AgentHistory
    /// Every record with `seq > after`, lineage resolved, in order (lock-free; used for replay and tailing).
    func records(of id: AgentID, after: UInt64) async throws -> [LogRecord]
    /// Deletes an agent. Refused with `StoreError.hasChildren` while forks point at it.
    func delete(_ id: AgentID) async throws
}

extension AgentStore {
    /// Records a new agent, on stable storage before this returns. Fails if the id exists.
    public func create(_ manifest: AgentManifest) async throws {
        try await create(manifest, durability: .immediate)
    }
}

/// The single writer of one agent's log.
public protocol AgentLogWriter: Sendable {
    /// Appends in order. `.durable` returns once the records (and everything before them) are synced.
    nonisolated(nonsending) func append(_ records: [LogRecord], durability: Durability) async throws
    /// Syncs everything appended so far.
    nonisolated(nonsending) func sync() async throws
    /// Stores a snapshot atomically; older snapshots may be pruned.
    func writeSnapshot(_ snapshot: StoredSnapshot) async throws
    /// Syncs and releases the lock.
    func close() async throws
}

/// Store failures, each with a message that says what and where.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    case notFound(AgentID)
    case alreadyExists(AgentID)
    /// Another process holds the writer lock.
    case locked(AgentID, holder: String)
    /// A bad record that is not a torn tail: refuse to open.
    case corrupted(file: String, offset: UInt64, detail: String)
    /// Children point at this agent.
    case hasChildren(AgentID, children: [AgentID])
    /// A sync failed earlier: the agent is read-only for the rest of this process.
    case readOnly(AgentID, reason: String)
    /// An I/O error, with the path and the system's message.
    case io(path: String, message: String)
    /// A record or manifest written by a newer format version.
    case unsupportedVersion(file: String, version: Int)

    public var description: String {
        switch self {
        case .notFound(let id): return "no agent '\(id)' in the store"
        case .alreadyExists(let id): return "agent '\(id)' already exists"
        case .locked(let id, let holder): return "agent \(id) is locked by another process (\(holder))"
        case .corrupted(let file, let offset, let detail):
            return "corrupted log \(file) at offset \(offset): \(detail); refusing to open (run 'kode store check' for details)"
        case .hasChildren(let id, let children):
            return "agent \(id) has forks (\(children.joined(separator: ", "))); delete them first"
        case .readOnly(let id, let reason): return "agent \(id) is read-only after a storage failure: \(reason)"
        case .io(let path, let message): return "\(path): \(message)"
        case .unsupportedVersion(let file, let version):
            return "\(file) uses format version \(version), newer than this build supports (\(AgentManifest.currentFormatVersion))"
        }
    }
}
