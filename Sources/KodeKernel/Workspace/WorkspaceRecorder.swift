import Foundation

/// Takes an agent's workspace snapshots: scans its work directory against the previous tree,
/// makes the new blobs durable and returns the record to append (DESIGN §11).
///
/// Owned by the agent actor and used only from it. The previous tree is kept in memory; a
/// reopened agent starts from the tree named in `agents/<id>/workspace-head` (its own, else its
/// parent's), written after every snapshot: when it is missing or stale the next snapshot reads
/// more files, never records a wrong tree, because every reused hash is checked against the
/// file's current size, mtime and inode. The head also tells the collector which tree is in use
/// before its record reaches the log.
package final class WorkspaceRecorder {
    let workDir: String
    let storeRoot: String
    let config: WorkspaceConfig
    let blobs: BlobStore
    private let headPath: String
    private var previous: WorkspaceTree?
    /// The ignored names of each directory in `previous` (see ``WorkspaceScanner/Report``).
    private var ignoredNames: [String: Set<String>] = [:]
    #if canImport(Glibc)
    /// Which paths changed since the previous snapshot (nil: inotify is not available).
    package let journal: ChangeJournal?
    #endif
    /// Up to this many new blobs a snapshot syncs one by one, more with one `syncfs` (the
    /// benchmark compares the two) — when the pending blob log is off or the batch too large.
    package var syncEachLimit = 16
    /// A small snapshot's blobs are made durable by one append to this log (nil: it could not
    /// be opened; the blobs are then synced in place).
    private let blobLog: PendingBlobLog?
    /// Off, every snapshot syncs its blobs in place (the benchmark's comparison).
    package var logsSmallBatches = true
    /// Called with each directory a snapshot is about to list, once it is watched: the race
    /// tests change files there, in the middle of a snapshot.
    package var willListDirectory: ((String) -> Void)?
    /// The unreadable paths last reported, so a notice is given once per change, not per step.
    private(set) var reportedUnreadable: [String] = []

    /// A recorder for an agent of a file store, or nil when snapshots are off or the store keeps
    /// no files (in-memory and database stores have no blob store).
    init?(manifest: AgentManifest, store: any AgentStore) {
        guard let fileStore = store as? FileStore, manifest.config.workspace.enabled else { return nil }
        storeRoot = WorkspacePaths.resolved(fileStore.root.path)
        workDir = WorkspacePaths.resolved(manifest.config.workDir)
        config = manifest.config.workspace
        blobs = BlobStore(storeRoot: fileStore.root)
        headPath = Self.headPath(root: storeRoot, agent: manifest.id)
        blobLog = try? PendingBlobLog(store: blobs, agent: manifest.id)
        #if canImport(Glibc)
        journal = ChangeJournal(workDir: workDir)
        #endif
        var seed = [headPath]
        if let parent = manifest.parent { seed.append(Self.headPath(root: storeRoot, agent: parent.agentId)) }
        for path in seed {
            if let bytes = try? PosixFiles.read(path), let tree = try? WorkspaceTree.load(String(decoding: bytes, as: UTF8.self), from: blobs) {
                previous = tree
                break
            }
        }
    }

    /// A recorder for `workDir` outside any agent (the benchmarks), its head kept as `agent`'s.
    /// `journal: false` makes every snapshot a full walk (what the tests compare the journal
    /// with); `drainsInBackground: false` leaves the journal's events in the kernel's queue
    /// until a snapshot (the overflow test); `watchLimit` caps the directories it watches.
    package init(workDir: String, storeRoot: String, config: WorkspaceConfig = WorkspaceConfig(), agent: AgentID,
                 journal: Bool = true, drainsInBackground: Bool = true, watchLimit: Int = 100_000) {
        self.storeRoot = WorkspacePaths.resolved(storeRoot)
        self.workDir = WorkspacePaths.resolved(workDir)
        self.config = config
        blobs = BlobStore(storeRoot: URL(fileURLWithPath: storeRoot))
        headPath = Self.headPath(root: self.storeRoot, agent: agent)
        blobLog = try? PendingBlobLog(store: blobs, agent: agent)
        #if canImport(Glibc)
        self.journal = journal ? ChangeJournal(workDir: self.workDir, maxWatches: watchLimit, drainsInBackground: drainsInBackground) : nil
        #endif
    }

    deinit {
        // A clean close leaves nothing to recover: the logged blobs are synced in place.
        try? blobLog?.trim()
        #if canImport(Glibc)
        journal?.stop()
        #endif
    }

    static func headPath(root: String, agent: AgentID) -> String {
        root + "/agents/" + agent + "/workspace-head"
    }

    /// Scans the work directory and stores what changed. The blobs are durable when this returns.
    ///
    /// With the change journal certain, only the paths it names are looked at; otherwise (first
    /// snapshot, queue overflow, a directory that cannot be watched, …) the whole tree is
    /// walked, and the report's `method` says why.
    package func snapshot() throws -> (WorkspaceSnapshotRecord, WorkspaceScanner.Report) {
        #if canImport(Glibc)
        let taken = journal?.take() ?? .uncertain("no change journal (inotify is not available or is off)")
        var hooks = journal?.hooks
        if let inner = hooks, let observer = willListDirectory {
            hooks = JournalHooks(watch: { directory in
                let watched = inner.watch(directory)
                observer(directory)
                return watched
            }, unwatch: inner.unwatch)
        }
        #else
        let taken = JournalTake.uncertain("no change journal on this system")
        let hooks: JournalHooks? = nil
        #endif
        let scanner = WorkspaceScanner(workDir: workDir, storeRoot: storeRoot, config: config, blobs: blobs, journal: hooks)
        let batch = BlobBatch(store: blobs, syncEachLimit: syncEachLimit, log: logsSmallBatches ? blobLog : nil)
        let result: (WorkspaceTree, WorkspaceScanner.Report)
        do {
            result = try blobs.withLock(exclusive: false) {
                var scanned: (WorkspaceTree, WorkspaceScanner.Report)?
                let reason: String
                switch taken {
                case .changes(let changes):
                    if let previous {
                        scanned = try scanner.update(previous: previous, ignoredNames: ignoredNames, changes: changes, batch: batch)
                        reason = "a .gitignore changed"
                    } else {
                        reason = "no previous snapshot in this process"
                    }
                case .uncertain(let why):
                    reason = why
                }
                if scanned == nil {
                    var full = try scanner.scan(previous: previous, batch: batch)
                    full.1.method = .fullWalk(reason: reason)
                    #if canImport(Glibc)
                    if full.1.unwatched == nil { journal?.unwatch(except: full.1.watched) }
                    #endif
                    scanned = full
                }
                guard let scanned else { preconditionFailure("a snapshot without a scan") }
                #if canImport(Glibc)
                if let unwatched = scanned.1.unwatched { journal?.markUncertain(unwatched) }
                #endif
                try batch.commit()
                // Inside the lock: the collector reads heads under its exclusive lock, so a tree
                // whose record is not in the log yet is still seen as in use.
                writeHead(scanned.0.rootHash)
                return scanned
            }
        } catch let error as WorkspaceIOError {
            markJournalUncertain()
            throw error
        } catch {
            markJournalUncertain()
            throw WorkspaceIOError(path: workDir, message: "\(error)", code: 0)
        }
        let tree = result.0
        var report = result.1
        // The first snapshot has nothing to compare with: it changed nothing.
        if previous == nil { report.changed = [] }
        previous = tree
        ignoredNames = report.ignoredNames
        let record = WorkspaceSnapshotRecord(
            tree: tree.rootHash, workDir: workDir, files: report.files, bytes: report.bytes,
            changed: report.changed.count, changedPaths: Array(report.changed.prefix(WorkspaceSnapshotRecord.listLimit)),
            notCaptured: Array(report.notCaptured.prefix(WorkspaceSnapshotRecord.listLimit)),
            notCapturedCount: report.notCaptured.count, ignored: report.ignored, bytesAdded: batch.bytesWritten)
        return (record, report)
    }

    /// A snapshot that failed half-way took the journal's changes without recording them.
    private func markJournalUncertain() {
        #if canImport(Glibc)
        journal?.markUncertain("the previous snapshot failed")
        #endif
    }

    /// The unreadable paths of `report` when they differ from those last reported.
    func newUnreadable(in report: WorkspaceScanner.Report) -> [WorkspaceNotCaptured]? {
        let unreadable = report.notCaptured.filter { $0.reason.hasPrefix("unreadable") }
        let paths = unreadable.map(\.path)
        guard paths != reportedUnreadable else { return nil }
        reportedUnreadable = paths
        return unreadable
    }

    /// The tree last scanned (after a restore, what the directory now holds).
    package var current: WorkspaceTree? { previous }

    /// Best effort: the head is a cache, and a lost one costs only re-reading files.
    private func writeHead(_ hash: String) {
        let temporary = headPath + ".tmp"
        PosixFiles.unlink(temporary)
        let bytes = Array(hash.utf8)
        do {
            try bytes.withUnsafeBytes { (raw) in try PosixFiles.writeNew(temporary, raw, mode: 0o644, sync: false) }
            try PosixFiles.rename(temporary, headPath)
        } catch {
            PosixFiles.unlink(temporary)
        }
    }
}

/// Path helpers shared by the snapshot, restore and fork code.
enum WorkspacePaths {
    /// `path` with symlinks resolved (as the sandbox sees it), or standardized when it does not exist.
    static func resolved(_ path: String) -> String {
        if let real = realpath(path, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
