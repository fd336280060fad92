import Foundation

/// `kode store gc`: removes blobs no workspace snapshot of any agent in the store references.
///
/// Safe while agents run. Marking reads every agent's log without locks; sweeping holds the blob
/// store's exclusive lock, which snapshot writers take shared while they add or touch blobs. A
/// blob is removed only when it is unreferenced *and* its mtime is older than the start of
/// marking minus `grace`: a writer touches every blob it reuses, so a blob that a snapshot
/// being written right now relies on is never old enough, and a snapshot whose record was not
/// yet in the log when marking read it must have touched its blobs within the grace period.
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
        public var snapshots = 0
        public var referenced = 0
        public var removed = 0
        public var bytesRemoved: Int64 = 0
        public var kept = 0
        /// Unreferenced, but too new to remove (inside the grace period).
        public var tooNew = 0
    }

    public func collect() async throws -> Report {
        var report = Report()
        let started = Date()
        let blobs = BlobStore(storeRoot: store.root)
        var roots: Set<String> = []
        for manifest in try await store.list() {
            report.agents += 1
            for record in try await store.records(of: manifest.id, after: 0) {
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
            if let head = try? PosixFiles.read(WorkspaceRecorder.headPath(root: store.root.path, agent: manifest.id)) {
                roots.insert(String(decoding: head, as: UTF8.self))
            }
        }
        let referenced = try mark(roots, blobs: blobs)
        report.referenced = referenced.count
        let cutoff = started.timeIntervalSince1970 - Double(grace.components.seconds)
        try blobs.withLock(exclusive: true) {
            guard let shards = try? PosixFiles.list(blobs.directory) else { return }
            for shard in shards where shard.utf8.count == 2 {
                let directory = blobs.directory + "/" + shard
                for name in (try? PosixFiles.list(directory)) ?? [] {
                    let path = directory + "/" + name
                    guard let stat = PosixFiles.lstat(path) else { continue }
                    let isTemporary = name.hasPrefix(".tmp-")
                    if !isTemporary && referenced.contains(shard + name) {
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
        return report
    }

    /// Every blob reachable from `roots`. A tree object shared by many snapshots is read once.
    /// A root whose tree is missing or damaged is reported, not skipped: collecting without
    /// knowing what it holds could remove blobs it needs.
    private func mark(_ roots: Set<String>, blobs: BlobStore) throws -> Set<String> {
        var seen: Set<String> = []
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
