import Foundation

/// Walks a work directory and produces its snapshot tree, reading and hashing only files whose
/// size, mtime, inode or mode differ from the previous snapshot's entry (DESIGN §11).
///
/// Skipped, never followed or read: `.git` (anywhere), the store's own directory, paths a
/// `.gitignore` ignores, the config's `exclude` patterns. Symlinks are recorded as links. Files
/// over the size limit, unreadable files and special files are recorded as "not captured".
package struct WorkspaceScanner {
    let workDir: String
    let storeRoot: String?
    let config: WorkspaceConfig
    let blobs: BlobStore

    /// Watches each directory before it is listed (nil: no change journal).
    var journal: JournalHooks?

    init(workDir: String, storeRoot: String?, config: WorkspaceConfig, blobs: BlobStore, journal: JournalHooks? = nil) {
        self.workDir = workDir
        self.storeRoot = storeRoot
        self.config = config
        self.blobs = blobs
        self.journal = journal
    }

    /// What one scan found besides the tree.
    package struct Report: Sendable {
        package var files = 0
        package var bytes: Int64 = 0
        package var ignored = 0
        /// Paths added, changed (content, mode or kind) or removed since the previous snapshot.
        package var changed: [String] = []
        package var notCaptured: [WorkspaceNotCaptured] = []
        package var bytesRead: Int64 = 0
        /// How the changes were found.
        package var method: SnapshotMethod = .fullWalk(reason: "")
        /// The ignored names of each directory (what `ignored` counts), kept for the next
        /// journal-driven snapshot, which sees only the names that changed.
        var ignoredNames: [String: Set<String>] = [:]
        /// Directories watched by this scan, and the first one that could be listed but not
        /// watched (the journal is then uncertain).
        var watched: Set<String> = []
        var unwatched: String?
    }

    /// Scans the tree; new blobs go to `batch` (not yet durable).
    func scan(previous: WorkspaceTree?, batch: BlobBatch) throws -> (WorkspaceTree, Report) {
        var report = Report()
        var directories: [String: [WorkspaceEntry]] = [:]
        var rules = IgnoreRules(config: config)
        let rootHash = try scanDirectory("", absolute: workDir, previousHash: previous?.rootHash, previous: previous,
                                         rules: &rules, directories: &directories, report: &report, batch: batch)
        return (WorkspaceTree(rootHash: rootHash, directories: directories), report)
    }

    func scanDirectory(
        _ relative: String, absolute: String, previousHash: String?, previous: WorkspaceTree?,
        rules: inout IgnoreRules, directories: inout [String: [WorkspaceEntry]], report: inout Report, batch: BlobBatch
    ) throws -> String {
        let watch = journal?.watch(relative)
        let names = try PosixFiles.list(absolute).sorted()
        if let watch {
            if case .failed(let reason) = watch { report.unwatched = report.unwatched ?? reason } else { report.watched.insert(relative) }
        }
        let ruleDepth = rules.rules.count
        defer { rules.leave(to: ruleDepth) }
        if names.contains(".gitignore"), let text = try? PosixFiles.read(absolute + "/.gitignore") {
            rules.add(gitignore: String(decoding: text, as: UTF8.self), in: relative)
        }
        let before = previous?.directories[relative]
        var old: [String: WorkspaceEntry] = [:]
        for entry in before ?? [] { old[entry.name] = entry }
        var entries: [WorkspaceEntry] = []
        entries.reserveCapacity(names.count)
        for name in names {
            // A name skipped now (ignored, vanished) stays in `old`: reported as removed.
            guard let entry = try scanName(name, in: relative, absolute: absolute, prior: old[name], previous: previous,
                                           rules: &rules, directories: &directories, report: &report, batch: batch) else { continue }
            old[name] = nil
            entries.append(entry)
        }
        for (name, gone) in old {
            let rel = relative.isEmpty ? name : relative + "/" + name
            report.changed.append(contentsOf: gone.kind == .directory ? Self.paths(under: rel, in: previous) : [rel])
        }
        directories[relative] = entries
        if let previousHash, let before, before == entries { return previousHash }
        let bytes = TreeObject(entries: entries).encoded()
        return try bytes.withUnsafeBytes { (raw) in try batch.put(raw) }
    }

    /// The entry for `name` in directory `relative` as it is now (a directory scanned whole), or
    /// nil when it is skipped, ignored or gone. Reports it as changed when it differs from `prior`.
    func scanName(
        _ name: String, in relative: String, absolute: String, prior: WorkspaceEntry?, previous: WorkspaceTree?,
        rules: inout IgnoreRules, directories: inout [String: [WorkspaceEntry]], report: inout Report, batch: BlobBatch
    ) throws -> WorkspaceEntry? {
        if name == ".git" { return nil }
        let path = absolute + "/" + name
        if path == storeRoot { return nil }
        guard let stat = PosixFiles.lstat(path) else { return nil }
        let rel = relative.isEmpty ? name : relative + "/" + name
        if rules.verdict(rel, name: name, isDirectory: stat.kind == .directory) != .capture {
            report.ignored += 1
            report.ignoredNames[relative, default: []].insert(name)
            return nil
        }
        let entry: WorkspaceEntry
        switch stat.kind {
        case .file:
            entry = try fileEntry(name, rel: rel, path: path, stat: stat, prior: prior, report: &report, batch: batch)
        case .symlink:
            let target = (try? PosixFiles.readLink(path)) ?? ""
            entry = WorkspaceEntry(name: name, kind: .symlink, mode: stat.mode, size: stat.size, hash: "", detail: target,
                                   mtimeNanos: stat.mtimeNanos, inode: stat.inode)
        case .directory:
            do {
                let hash = try scanDirectory(rel, absolute: path, previousHash: prior?.kind == .directory ? prior?.hash : nil,
                                             previous: prior?.kind == .directory ? previous : nil,
                                             rules: &rules, directories: &directories, report: &report, batch: batch)
                entry = WorkspaceEntry(name: name, kind: .directory, mode: stat.mode, size: 0, hash: hash,
                                       mtimeNanos: 0, inode: stat.inode)
            } catch let error as WorkspaceIOError where error.path == path {
                entry = notCaptured(name, rel: rel, stat: stat, reason: "unreadable directory: \(error.message)", report: &report)
            }
        case .other:
            entry = notCaptured(name, rel: rel, stat: stat, reason: "a special file (socket, pipe or device)", report: &report)
        }
        // A directory on both sides reports its own changes from inside; a new one through
        // its files, unless it is empty.
        if let prior {
            if !(prior.kind == .directory && entry.kind == .directory) && !prior.sameContent(as: entry) { report.changed.append(rel) }
        } else if entry.kind != .directory || directories[rel]?.isEmpty == true {
            report.changed.append(rel)
        }
        return entry
    }

    private func fileEntry(
        _ name: String, rel: String, path: String, stat: FileStat, prior: WorkspaceEntry?, report: inout Report, batch: BlobBatch
    ) throws -> WorkspaceEntry {
        if stat.size > config.maxFileSize {
            return notCaptured(name, rel: rel, stat: stat, reason: "larger than the \(config.maxFileSize / (1024 * 1024)) MB limit", report: &report)
        }
        report.files += 1
        report.bytes += stat.size
        if let prior, prior.kind == .file, prior.size == stat.size, prior.mtimeNanos == stat.mtimeNanos, prior.inode == stat.inode {
            var same = prior
            same.mode = stat.mode
            return same
        }
        let bytes: [UInt8]
        do {
            bytes = try PosixFiles.read(path, expectedSize: stat.size)
        } catch let error as WorkspaceIOError {
            report.files -= 1
            report.bytes -= stat.size
            return notCaptured(name, rel: rel, stat: stat, reason: "unreadable: \(error.message)", report: &report)
        }
        report.bytesRead += Int64(bytes.count)
        let hash = try bytes.withUnsafeBytes { (raw) in try batch.put(raw) }
        return WorkspaceEntry(name: name, kind: .file, mode: stat.mode, size: Int64(bytes.count), hash: hash,
                              mtimeNanos: stat.mtimeNanos, inode: stat.inode)
    }

    private func notCaptured(_ name: String, rel: String, stat: FileStat, reason: String, report: inout Report) -> WorkspaceEntry {
        report.notCaptured.append(WorkspaceNotCaptured(path: rel, reason: reason))
        return WorkspaceEntry(name: name, kind: .notCaptured, mode: stat.mode, size: stat.size, hash: "", detail: reason,
                              mtimeNanos: stat.mtimeNanos, inode: stat.inode)
    }

    /// Every non-directory path at or below `directory` in `tree` (what removing it removed).
    static func paths(under directory: String, in tree: WorkspaceTree?) -> [String] {
        guard let entries = tree?.directories[directory] else { return [directory] }
        var out: [String] = []
        for entry in entries {
            let path = directory + "/" + entry.name
            if entry.kind == .directory { out += paths(under: path, in: tree) } else { out.append(path) }
        }
        return out.isEmpty ? [directory] : out
    }
}
