import Foundation
import Synchronization

/// The default `AgentStore`: one directory per agent with a checksummed write-ahead log,
/// snapshots and a writer lock (DESIGN §4; byte layout in docs/STORE-FORMAT.md).
///
/// Readers (`list`, `manifest`, `history`, `records`) take no lock and treat a partial record at
/// the end of the newest segment as not yet written, so another process can follow a live agent.
public final class FileStore: AgentStore {
    /// The root directory (`<root>/agents/<id>/…`).
    public let root: URL
    let rootPath: String
    let io: any FileIO
    let segmentLimit: UInt64
    /// How far ahead of its end a writer zero-fills the newest segment (see `FileLogWriter`).
    let preallocation: UInt64
    /// Seq → position hints per agent (see `SparseIndex`).
    let indexes = Mutex<[AgentID: SparseIndex]>([:])
    /// The newest verified snapshot per agent (see `newestSnapshot`).
    let snapshotCache = Mutex<[AgentID: (snapshot: StoredSnapshot, position: LogPosition)]>([:])
    /// Agents this object has an open writer for: `history` need not probe their lock.
    let openWriters = Mutex<Set<AgentID>>([])
    /// Torn tails cut by `openWriter`, reported by the next `history`.
    let pendingRepairs = Mutex<[AgentID: [String]]>([:])
    /// Where the blocking file work of the `async` methods runs (see `offCooperativePool`).
    let blockingQueue = DispatchQueue(label: "kode.store.files", attributes: .concurrent)
    /// Agents created with `.deferred` durability whose creation is not on stable storage yet,
    /// with the manifest written (so opening the writer need not read it back).
    let pendingCreations = Mutex<[AgentID: AgentManifest]>([:])
    /// Agent directories made ahead of time for deferred creations (`FileStore+Spares`).
    let spares = Mutex(SparePool())

    /// Opens (creating if needed) the store at `root`.
    /// - Parameters:
    ///   - io: the file layer; tests pass one that simulates crashes and failures.
    ///   - segmentLimit: the size at which a log segment is closed and a new one started.
    ///   - preallocation: how many bytes past its end a writer keeps zero-filled in the newest
    ///     segment, so a durable append overwrites space the file already has and its sync need
    ///     not also commit a new file size (0 turns this off).
    public init(root: URL, io: any FileIO = PosixFileIO(), segmentLimit: UInt64 = 64 << 20, preallocation: UInt64 = 64 << 10) throws {
        self.root = root.standardizedFileURL
        self.rootPath = self.root.path
        self.io = io
        self.segmentLimit = max(segmentLimit, UInt64(LogFormat.segmentHeaderSize + 1024))
        self.preallocation = preallocation
        do {
            _ = try io.makeDirectory(rootPath + "/agents")
        } catch {
            throw StoreError.io(path: rootPath, message: "cannot create the store directory: \(error)")
        }
    }

    /// `$KODE_STORE` when set and not empty, else `./.kode` in the current directory.
    public static func defaultRoot(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let path = environment["KODE_STORE"], !path.isEmpty {
            return URL(fileURLWithPath: (path as NSString).expandingTildeInPath, isDirectory: true)
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true).appendingPathComponent(".kode")
    }

    func paths(_ id: AgentID) -> AgentPaths { AgentPaths(root: rootPath, id: id) }

    func relative(_ path: String) -> String {
        path.hasPrefix(rootPath + "/") ? String(path.dropFirst(rootPath.count + 1)) : path
    }

    /// Runs a file operation, turning its failure into a `StoreError.io` that names the path.
    func io<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch let error as FileIOError {
            throw StoreError.io(path: relative(path), message: error.description)
        } catch {
            throw StoreError.io(path: relative(path), message: "\(error)")
        }
    }

    /// Runs blocking file work (opening, reading and listing files, and the syncs of a create or
    /// delete) on `blockingQueue`, the way `FileLogWriter` runs its syncs on its own queue: a
    /// read of a long log or a slow disk must not hold one of the few cooperative threads.
    func offCooperativePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            blockingQueue.async { continuation.resume(with: Result { try body() }) }
        }
    }

    // MARK: Agents

    /// Creates the agent's directory and writes its manifest atomically. A fork is only this:
    /// constant time whatever the parent's history.
    ///
    /// `.immediate` syncs the manifest and the directory entries before returning. `.deferred`
    /// syncs only the manifest's content (so its name never points at a torn file) and leaves
    /// the directory entries to the first sync of the writer `openWriter` returns, which syncs
    /// them right after its segment (`syncCreation`).
    public func create(_ manifest: AgentManifest, durability: CreationDurability) async throws {
        try await offCooperativePool { try self.createBlocking(manifest, durability: durability) }
    }

    func createBlocking(_ manifest: AgentManifest, durability: CreationDurability = .immediate) throws {
        if let parent = manifest.parent { _ = try readManifest(parent.agentId) }
        let p = paths(manifest.id)
        guard isValidID(manifest.id) else {
            throw StoreError.io(path: relative(p.directory), message: "agent id '\(manifest.id)' may only use letters, digits, '_' and '-'")
        }
        let encoder = JSONEncoder()
        // Dates stay in Foundation's own form (seconds since 2001) so they round-trip exactly.
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let bytes = try Array(encoder.encode(manifest))
        // A new deferred agent (a sub-agent) takes a directory made ahead of time.
        if durability == .deferred, manifest.parent == nil, try io(p.directory, { try placeSpare(as: manifest.id, manifest: bytes) }) {
            pendingCreations.withLock { $0[manifest.id] = manifest }
            return
        }
        let created = try io(p.directory) { try io.makeDirectory(p.directory) }
        if !created {
            // A directory without a manifest is a creation that crashed before committing: reuse
            // it, without what that creation left (after a deferred creation, a log that was
            // never acknowledged).
            if io.exists(p.manifest) { throw StoreError.alreadyExists(manifest.id) }
            try io(p.directory) {
                for name in try io.contentsOfDirectory(p.directory) { try io.remove(p.directory + "/" + name) }
            }
        }
        try io(p.manifest) {
            guard durability == .immediate else {
                try io.writeSyncedThenRename(bytes, to: p.manifest)
                pendingCreations.withLock { $0[manifest.id] = manifest }
                return
            }
            try io.writeAtomically(bytes, to: p.manifest)
            // The agent's directory entry itself must survive a crash too.
            try io.syncDirectory(rootPath + "/agents")
        }
    }

    /// Makes a deferred creation durable, with the first sync of its log: the newest segment's
    /// data (`fd`), then the directory entries of the segment, the manifest and the agent. The
    /// segment goes first: on a journaling file system its sync commits the new entries along
    /// with it, so the directory syncs after it are cheap. (Issuing the four at once from
    /// several threads was measured too: slower on a 2-core machine, where waking the threads
    /// costs more than the syncs overlap; docs/PERFORMANCE.md, "Sub-agents".)
    func syncCreation(of id: AgentID, segment fd: Int32) throws {
        let p = paths(id)
        try io.sync(fd)
        for directory in [p.wal, p.directory, rootPath + "/agents"] { try io.syncDirectory(directory) }
        pendingCreations.withLock { $0[id] = nil }
    }

    /// Every committed agent, oldest first (lock-free).
    public func list() async throws -> [AgentManifest] {
        try await offCooperativePool { try self.listBlocking() }
    }

    func listBlocking() throws -> [AgentManifest] {
        let names: [String]
        do {
            names = try io.contentsOfDirectory(rootPath + "/agents")
        } catch let error as FileIOError where error.code == ENOENT {
            return []
        }
        var manifests: [AgentManifest] = []
        for name in names where !name.hasPrefix(".") {
            do {
                manifests.append(try readManifest(name))
            } catch StoreError.notFound {
                continue  // created concurrently and not committed yet, or deleted meanwhile
            }
        }
        return manifests.sorted { ($0.created, $0.id) < ($1.created, $1.id) }
    }

    /// The agent's manifest; `unsupportedVersion` for one written by a newer build.
    public func manifest(of id: AgentID) async throws -> AgentManifest {
        try await offCooperativePool { try self.readManifest(id) }
    }

    func readManifest(_ id: AgentID) throws -> AgentManifest {
        let p = paths(id)
        guard isValidID(id) else { throw StoreError.notFound(id) }
        let bytes: [UInt8]
        do {
            bytes = try io.readFile(p.manifest)
        } catch let error as FileIOError where error.code == ENOENT {
            throw StoreError.notFound(id)
        } catch {
            throw StoreError.io(path: relative(p.manifest), message: "\(error)")
        }
        let decoder = JSONDecoder()
        struct VersionProbe: Decodable { var formatVersion: Int }
        let data = Data(bytes)
        do {
            let version = try decoder.decode(VersionProbe.self, from: data).formatVersion
            guard version <= AgentManifest.currentFormatVersion else {
                throw StoreError.unsupportedVersion(file: relative(p.manifest), version: version)
            }
            return try decoder.decode(AgentManifest.self, from: data)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.corrupted(file: relative(p.manifest), offset: 0, detail: "unreadable manifest: \(error)")
        }
    }

    /// Removes the agent: refused while forks point at it or a writer holds it.
    public func delete(_ id: AgentID) async throws {
        try await offCooperativePool { try self.deleteBlocking(id) }
    }

    func deleteBlocking(_ id: AgentID) throws {
        _ = try readManifest(id)
        let children = try listBlocking().filter { $0.parent?.agentId == id }.map(\.id).sorted()
        guard children.isEmpty else { throw StoreError.hasChildren(id, children: children) }
        let p = paths(id)
        let lock = try io(p.lock) { try WriterLock.acquire(path: p.lock, agent: id, io: io) }
        defer { lock.release() }
        // Rename first so the agent disappears in one step; the removal can then take its time.
        let doomed = rootPath + "/agents/.deleted-" + id + "-" + UUID().uuidString
        try io(p.directory) {
            try io.rename(p.directory, to: doomed)
            try io.syncDirectory(rootPath + "/agents")
        }
        indexes.withLock { $0[id] = nil }
        snapshotCache.withLock { $0[id] = nil }
        pendingCreations.withLock { $0[id] = nil }
        try? io.remove(doomed)
    }

    private func isValidID(_ id: AgentID) -> Bool {
        !id.isEmpty && id.count <= 128 && !id.hasPrefix(".")
            && id.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "_" || $0 == "-" }
    }

    // MARK: Reading

    /// The newest usable snapshot and the lineage records after it. Cuts a torn tail first when
    /// no writer holds the agent; reports cuts (also those made by `openWriter`) in `repairs`.
    public func history(of id: AgentID) async throws -> AgentHistory {
        try await offCooperativePool { try self.historyBlocking(id) }
    }

    func historyBlocking(_ id: AgentID) throws -> AgentHistory {
        _ = try readManifest(id)
        var repairs = pendingRepairs.withLock { $0.removeValue(forKey: id) } ?? []
        // Repair a torn tail only when no writer is live: a live writer's partial record is just
        // not finished yet.
        let writingHere = openWriters.withLock { $0.contains(id) }
        if !writingHere, let lock = try io(paths(id).lock, { try WriterLock.attempt(path: paths(id).lock, io: io) }) {
            defer { lock.release() }
            // The snapshot's position lets the tail check start there instead of at the log's start.
            _ = try newestSnapshot(id, atMost: nil)
            if let note = try inspectTail(id, repair: true).repairNote { repairs.append(note) }
        }
        var history = try Lineage.history(of: id, in: FileLineageSource(store: self))
        history.repairs = repairs
        return history
    }

    /// Records after `after`, lineage resolved, starting from the sparse index (lock-free;
    /// a live writer's unfinished record is simply not returned yet).
    public func records(of id: AgentID, after: UInt64) async throws -> [LogRecord] {
        try await offCooperativePool { try Lineage.records(of: id, after: after, in: FileLineageSource(store: self)) }
    }

    /// The agent's own records after `after` as they are stored — seq, body type and payload
    /// bytes, checksums verified, nothing decoded (a fork's parent's records are the parent's).
    /// For comparing stores byte for byte.
    package func ownEncodedRecords(of id: AgentID, after: UInt64) async throws -> [EncodedRecord] {
        try await offCooperativePool {
            var result: [EncodedRecord] = []
            try self.scanOwnLog(id, after: after) { scanned, _ in
                result.append(EncodedRecord(seq: scanned.seq, type: scanned.type.rawValue, payload: Array(scanned.payload)))
                return true
            }
            return result
        }
    }
}

/// `FileStore` seen as a `LineageSource`, so forks resolve exactly as in every other store.
struct FileLineageSource: LineageSource {
    let store: FileStore

    func manifest(_ id: AgentID) throws -> AgentManifest { try store.readManifest(id) }

    func ownRecords(_ id: AgentID, after: UInt64, through: UInt64?) throws -> [LogRecord] {
        var result: [LogRecord] = []
        let decoder = JSONDecoder()
        try store.scanOwnLog(id, after: after) { scanned, segment in
            if let through, scanned.seq > through { return false }
            do {
                result.append(try RecordCodec.decode(payload: scanned.payload, type: scanned.type, decoder: decoder))
            } catch let error as RecordDecodingError {
                throw StoreError.corrupted(
                    file: store.relative(store.paths(id).segment(segment)), offset: scanned.offset,
                    detail: "record seq \(scanned.seq) has a valid checksum but does not decode (\(error.detail))")
            }
            return true
        }
        return result
    }

    func newestOwnSnapshot(_ id: AgentID, atMost: UInt64?) throws -> StoredSnapshot? {
        try store.newestSnapshot(id, atMost: atMost)?.snapshot
    }
}
