import Foundation
import KodeKernel
import Logging
import PostgresNIO
import Synchronization

/// An `AgentStore` in PostgreSQL (docs/POSTGRES.md): many processes share one database, each
/// agent has one owner at a time, and a record is acknowledged only after its transaction commits.
///
/// Records keep the file store's bytes (type and payload, docs/STORE-FORMAT.md), so an agent
/// copied between the two stores is the same log. Forks are one row pointing at the parent.
public final class PostgresStore: AgentStore {
    /// Where the store lives (its `description` masks the password).
    public let url: PostgresURL
    package let database: StoreDatabase
    let tables: Tables
    /// This process's owner session: the worker row and the connection holding its agents' locks.
    let ownership: OwnerSession
    /// Commits that waited for the WAL flush (durable appends, syncs, snapshots), for benchmarks.
    let flushedCommits = Atomic<Int>(0)
    /// Whether the usual append commit runs as a prepared statement (`AppendStatement`); the
    /// benchmark turns it off to measure what preparing saves.
    package let preparedAppends = Atomic<Bool>(true)
    /// The writers open in this process, so the inbox can arm a command on its agent's writer.
    let writers = OpenWriters()

    /// Commits so far that waited for the WAL flush (what a durable step costs in syncs).
    package var durableCommitCount: Int { flushedCommits.load(ordering: .relaxed) }

    /// Called before and after each commit that waits for the WAL flush (its number, from 1, and
    /// whether it is done): the crash tests kill the process there, as they do around the file
    /// store's syncs.
    package let commitObserver = Mutex<(@Sendable (_ number: Int, _ done: Bool) -> Void)?>(nil)

    private init(url: PostgresURL, database: StoreDatabase, ownership: OwnerSession) {
        self.url = url
        self.database = database
        self.tables = Tables(schema: url.schema)
        self.ownership = ownership
    }

    /// Connects, then creates or migrates the schema. Fails with a `StoreError` naming the server
    /// (password masked) when it cannot be reached within `timeout`, and with
    /// `StoreError.unsupportedVersion` when the schema is newer than this build.
    ///
    /// - Parameters:
    ///   - timeout: how long any one operation may wait for the database before failing.
    ///   - workerName: shown to other processes as this owner (default: pid and host).
    ///   - staleAfter: an owner that has not renewed its lease for this long may be taken over.
    public static func open(
        _ url: PostgresURL, timeout: Duration = .seconds(10), workerName: String? = nil,
        staleAfter: Duration = .seconds(3), logger: Logger = Logger(label: "kode.postgres")
    ) async throws -> PostgresStore {
        var quiet = logger
        // PostgresNIO logs connection attempts at info; the store reports failures itself.
        if quiet.logLevel < .warning { quiet.logLevel = .warning }
        let database = try StoreDatabase(url: url, timeout: timeout, logger: quiet)
        do {
            try await StoreSchema.migrate(database)
        } catch {
            database.shutdown()
            throw error
        }
        let ownership = OwnerSession(database: database, tables: Tables(schema: url.schema), name: workerName, staleAfter: staleAfter)
        return PostgresStore(url: url, database: database, ownership: ownership)
    }

    /// Parses `url` and opens it.
    public static func open(_ url: String, timeout: Duration = .seconds(10)) async throws -> PostgresStore {
        try await open(try PostgresURL(url), timeout: timeout)
    }

    /// Releases every agent this process owns (without touching their logs) and closes the connections.
    public func shutdown() async {
        await ownership.shutdown()
        database.shutdown()
    }

    /// The schema version of the connected database (the build's `currentSchemaVersion` after `open`).
    public func schemaVersion() async throws -> Int {
        let rows = try await database.rows("reading the schema version", PostgresQuery(unsafeSQL: "SELECT version FROM \"\(url.schema)\".schema_version"))
        return try rows.first?.decode(Int.self) ?? 0
    }

    /// The schema version this build creates and reads.
    public static var currentSchemaVersion: Int { StoreSchema.currentVersion }

    // MARK: Agents

    /// One row: constant time for a fork whatever the parent's history. The row's commit is
    /// durable either way, so `durability` changes nothing.
    public func create(_ manifest: AgentManifest, durability: CreationDurability) async throws {
        guard Self.isValidID(manifest.id) else {
            throw StoreError.io(path: url.description, message: "agent id '\(manifest.id)' may only use letters, digits, '_' and '-'")
        }
        let statement = CreateAgentStatement(
            id: manifest.id, manifest: ByteBuffer(bytes: try ManifestCoding.encode(manifest)),
            created: manifest.created.timeIntervalSinceReferenceDate,
            parentID: manifest.parent?.agentId, parentSeq: manifest.parent.map { Int64($0.seq) })
        let inserted: [Int32]
        do {
            // A commit like an append's: over the commit lane while it is free.
            inserted = try await database.commitRows("creating agent \(manifest.id)", statement)
        } catch let error as StoreError {
            // A missing parent is the foreign key refusing the row.
            if let parent = manifest.parent, case .io(_, let message) = error, message.contains("23503") {
                throw StoreError.notFound(parent.agentId)
            }
            throw error
        }
        if inserted.isEmpty { throw StoreError.alreadyExists(manifest.id) }
    }

    /// Every agent, oldest first.
    public func list() async throws -> [AgentManifest] {
        let rows = try await database.rows("listing agents", PostgresQuery(unsafeSQL: "SELECT manifest FROM \(tables.agents) ORDER BY created, id"))
        return try rows.map { try ManifestCoding.decode(try $0.decode(ByteBuffer.self), place: url.description) }
    }

    /// One agent's manifest.
    public func manifest(of id: AgentID) async throws -> AgentManifest {
        var binds = PostgresBindings()
        binds.append(id)
        let rows = try await database.rows("reading agent \(id)", PostgresQuery(unsafeSQL: "SELECT manifest FROM \(tables.agents) WHERE id = $1", binds: binds))
        guard let row = rows.first else { throw StoreError.notFound(id) }
        return try ManifestCoding.decode(try row.decode(ByteBuffer.self), place: "\(url) agent \(id)")
    }

    /// Takes ownership of the agent (`StoreError.locked` naming the holder when another owner has it).
    public func openWriter(_ id: AgentID) async throws -> any AgentLogWriter {
        try await openLogWriter(id)
    }

    /// `openWriter` with the concrete type.
    public func openLogWriter(_ id: AgentID) async throws -> PostgresLogWriter {
        let claim = try await ownership.acquire(id, takeOver: false)
        return writers.remember(PostgresLogWriter(store: self, id: id, claim: claim))
    }

    /// Takes the agent over from an owner that stopped renewing its lease (stalled, partitioned or
    /// dead): its connection is terminated and the fencing epoch bumped, so it cannot write again.
    /// A live owner still gets `StoreError.locked`, after waiting up to `patience` for its lease
    /// to run out.
    public func takeOver(_ id: AgentID, patience: Duration = .zero) async throws -> PostgresLogWriter {
        let claim = try await ownership.acquire(id, takeOver: true, patience: patience)
        return writers.remember(PostgresLogWriter(store: self, id: id, claim: claim))
    }

    /// Deletes the agent with its records, snapshots and inbox commands; refused while forks
    /// point at it or an owner holds it.
    public func delete(_ id: AgentID) async throws {
        _ = try await manifest(of: id)
        let forks = try await children(of: id)
        guard forks.isEmpty else { throw StoreError.hasChildren(id, children: forks) }
        if ownership.holdsLocally(id) { throw StoreError.locked(id, holder: "this process (\(ownership.description))") }
        var binds = PostgresBindings()
        binds.append(id)
        // A transaction-level try-lock conflicts with any owner's session lock, and is gone at
        // commit; `kode_delete` also waits for appends in flight (docs/POSTGRES.md).
        let sql = "SELECT \(tables.schemaQuoted).kode_delete($1, \(tables.lockKey("$1")))"
        let deleted: [PostgresRow]
        do {
            deleted = try await database.rows("deleting agent \(id)", PostgresQuery(unsafeSQL: sql, binds: binds))
        } catch let error as StoreError {
            if case .io(_, let message) = error, message.contains("23503") {
                throw StoreError.hasChildren(id, children: try await children(of: id))
            }
            throw error
        }
        if try deleted.first?.decode(Bool.self) != true {
            throw StoreError.locked(id, holder: try await ownership.holderDescription(id))
        }
    }

    func children(of id: AgentID) async throws -> [AgentID] {
        var binds = PostgresBindings()
        binds.append(id)
        let rows = try await database.rows("listing forks of \(id)", PostgresQuery(unsafeSQL: "SELECT id FROM \(tables.agents) WHERE parent_id = $1 ORDER BY id", binds: binds))
        return try rows.map { try $0.decode(String.self) }
    }

    static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 200 && !id.hasPrefix(".") && id.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
        }
    }
}
