import Foundation

/// `kode store gc`: removes blobs no workspace snapshot of any agent in the store references.
///
/// Safe while agents run. Snapshot writers hold the blob store's lock shared while they add (or
/// reuse) blobs and name the new tree in their agent's head file; the collector marks from every
/// agent's log without the lock, then takes it exclusively, marks again from what was appended
/// meanwhile, from agents created meanwhile and from every head, and only then sweeps. A tree a
/// writer finished before the sweep is in a log or a head; one started after it waits for the
/// sweep to end. Between two recorded snapshots an agent always commits, so a head that moved on
/// leaves its predecessor in the log. On top of that, an unreferenced blob younger than `grace`
/// is kept (a margin against anything this reasoning missed; zero is allowed).
public struct BlobCollector: Sendable {
    public let store: FileStore
    /// How long a blob no record references yet is kept (default 10 minutes).
    public var grace: Duration

    public init(store: FileStore, grace: Duration = .seconds(600)) {
        self.store = store
        self.grace = grace
    }

    /// What a collection found and removed.
    public struct Report: Sendable, Hashable {
        public var agents = 0
        /// Snapshot records read (an ancestor's are read once per descendant too).
        public var snapshots = 0
        public var referenced = 0
        public var removed = 0
        public var bytesRemoved: Int64 = 0
        public var kept = 0
        /// Unreferenced, but too new to remove (inside the grace period).
        public var tooNew = 0
    }

    /// Runs a collection on a thread of its own: it blocks on the exclusive lock and reads
    /// every log, neither of which may hold a thread of the cooperative pool.
    public func collect() async throws -> Report {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try self.collectBlocking() }) }
        }
    }

    private func collectBlocking() throws -> Report {
        var report = Report()
        let started = Date()
        let blobs = BlobStore(storeRoot: store.root)
        var roots: Set<String> = []
        var seen: [AgentID: UInt64] = [:]
        try markLogs(&roots, seen: &seen, report: &report)
        var referenced = try mark(roots, into: [], blobs: blobs)
        let cutoff = started.timeIntervalSince1970 - Double(grace.components.seconds) - Double(grace.components.attoseconds) / 1e18
        try blobs.withLock(exclusive: true) {
            var again: Set<String> = []
            try markLogs(&again, seen: &seen, report: &report)
            for id in seen.keys {
                if let head = try? PosixFiles.read(WorkspaceRecorder.headPath(root: store.root.path, agent: id)) {
                    again.insert(String(decoding: head, as: UTF8.self))
                }
            }
            referenced = try mark(again, into: referenced, blobs: blobs)
            report.referenced = referenced.count
            try sweep(blobs, referenced: referenced, cutoff: cutoff, report: &report)
        }
        return report
    }

    /// Roots from every agent's log: all of it the first time, what follows `seen` after.
    private func markLogs(_ roots: inout Set<String>, seen: inout [AgentID: UInt64], report: inout Report) throws {
        for manifest in try store.listBlocking() {
            if seen[manifest.id] == nil { report.agents += 1 }
            let records = try Lineage.records(of: manifest.id, after: seen[manifest.id] ?? 0, in: FileLineageSource(store: store))
            Self.roots(of: records, into: &roots, report: &report)
            seen[manifest.id] = records.last?.seq ?? seen[manifest.id] ?? 0
        }
    }

    private static func roots(of records: [LogRecord], into roots: inout Set<String>, report: inout Report) {
        for record in records {
            switch record.body {
            case .workspaceSnapshot(let snapshot):
                roots.insert(snapshot.tree)
                report.snapshots += 1
            case .rewind(let rewind):
                if let tree = rewind.targetTree { roots.insert(tree) }
            default:
                break
            }
        }
    }

    private func sweep(_ blobs: BlobStore, referenced: Set<String>, cutoff: Double, report: inout Report) throws {
        guard let shards = try? PosixFiles.list(blobs.directory) else { return }
        for shard in shards where shard.utf8.count == 2 {
            let directory = blobs.directory + "/" + shard
            for name in (try? PosixFiles.list(directory)) ?? [] {
                let path = directory + "/" + name
                guard let stat = PosixFiles.lstat(path) else { continue }
                if !name.hasPrefix(".tmp-") && referenced.contains(shard + name) {
                    report.kept += 1
                    continue
                }
                if Double(stat.mtimeNanos) / 1e9 >= cutoff {
                    report.tooNew += 1
                    continue
                }
                try PosixFiles.removeFile(path)
                report.removed += 1
                report.bytesRemoved += stat.size
            }
        }
    }

    /// Every blob reachable from `roots`, added to `seen`. A tree object shared by many snapshots
    /// is read once. A root whose tree is missing or damaged stops the collection: sweeping
    /// without knowing what it holds could remove blobs it needs.
    private func mark(_ roots: Set<String>, into seen: Set<String>, blobs: BlobStore) throws -> Set<String> {
        var seen = seen
        var pending = Array(roots)
        while let hash = pending.popLast() {
            guard seen.insert(hash).inserted else { continue }
            let object = try TreeObject.decode(try blobs.read(hash), source: blobs.path(of: hash))
            for entry in object.entries {
                switch entry.kind {
                case .file: seen.insert(entry.hash)
                case .directory: pending.append(entry.hash)
                case .symlink, .notCaptured: break
                }
            }
        }
        return seen
    }
}
