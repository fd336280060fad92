import Foundation

/// Makes a fork's work directory: the checkpoint's tree written into a new directory (`copy`),
/// or into a fresh git worktree of the parent's repository (`worktree`).
struct WorkspaceMaterializer {
    let storeRoot: String
    let blobs: BlobStore
    let config: WorkspaceConfig

    /// Creates the child's work directory for `mode` and returns its path (absolute).
    func make(_ mode: WorkspaceForkMode, tree: WorkspaceTree, parentWorkDir: String, child: AgentID, directory: String?) throws -> String {
        // Not under the store by default: the sandbox keeps tools from writing there, so a work
        // directory inside it would be unusable. A sibling of the parent's is outside both.
        let base = WorkspacePaths.resolvedNew(directory ?? Self.defaultDirectory(parentWorkDir: parentWorkDir, child: child))
        switch mode {
        case .shared:
            return parentWorkDir
        case .copy:
            let created = try prepareEmpty(base)
            _ = try WorkspaceRestorer(workDir: base, blobs: blobs).apply(WorkspaceRestorer.plan(from: nil, to: tree), current: nil, target: tree) { _, _ in }
            // The restore synced what it wrote inside `base`; the entries naming `base` and any
            // parent made for it are synced here, deepest first.
            do {
                for directory in created { try PosixFiles.fsyncPath((directory as NSString).deletingLastPathComponent) }
            } catch let error as WorkspaceIOError {
                throw WorkspaceError.io(error)
            }
            return base
        case .worktree:
            guard let top = GitWorktree.topLevel(of: parentWorkDir) else { throw WorkspaceError.notAGitRepository(parentWorkDir) }
            if let existing = PosixFiles.lstat(base), existing.kind != .directory || !((try? PosixFiles.list(base))?.isEmpty ?? false) {
                throw WorkspaceError.directoryNotEmpty(base)
            }
            try GitWorktree.add(base, repository: top)
            let inside = parentWorkDir == top ? "" : String(parentWorkDir.dropFirst(top.count + 1))
            let workDir = inside.isEmpty ? base : base + "/" + inside
            try PosixFiles.makeDirectory(workDir, mode: 0o755)
            // What git checked out is the commit; the checkpoint may differ from it (uncommitted
            // edits, new and deleted files): restore the checkpoint over it.
            let scanner = WorkspaceScanner(workDir: workDir, storeRoot: storeRoot, config: config, blobs: blobs)
            let batch = BlobBatch(store: blobs)
            let current: WorkspaceTree
            do {
                current = try blobs.withLock(exclusive: false) { try scanner.scan(previous: nil, batch: batch).0 }
            } catch let error as WorkspaceIOError {
                throw WorkspaceError.io(error)
            } catch {
                throw WorkspaceError.io(WorkspaceIOError(path: workDir, message: "\(error)", code: 0))
            }
            let restorer = WorkspaceRestorer(workDir: workDir, blobs: blobs)
            _ = try restorer.apply(WorkspaceRestorer.plan(from: current, to: tree), current: current, target: tree) { _, _ in }
            // git does not sync what it checked out; the restore synced only its own changes.
            do {
                try PosixFiles.syncFileSystem(containing: workDir)
            } catch let error as WorkspaceIOError {
                throw WorkspaceError.io(error)
            }
            return workDir
        }
    }

    /// `<parent work dir>.fork-<child id>`.
    static func defaultDirectory(parentWorkDir: String, child: AgentID) -> String {
        parentWorkDir + ".fork-" + child
    }

    /// Makes `path` an empty directory; returns the directories it created, deepest first.
    private func prepareEmpty(_ path: String) throws -> [String] {
        if let existing = PosixFiles.lstat(path) {
            guard existing.kind == .directory, (try? PosixFiles.list(path))?.isEmpty == true else { throw WorkspaceError.directoryNotEmpty(path) }
            return []
        }
        var created: [String] = []
        var missing = path
        while missing.count > 1, PosixFiles.lstat(missing) == nil {
            created.append(missing)
            missing = (missing as NSString).deletingLastPathComponent
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw WorkspaceError.io(WorkspaceIOError(path: path, message: "cannot create the directory: \(error.localizedDescription)", code: 0))
        }
        return created
    }
}

extension WorkspacePaths {
    /// An absolute, standardized form of a path that may not exist yet, with its existing parent resolved.
    static func resolvedNew(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        if PosixFiles.lstat(absolute) != nil { return resolved(absolute) }
        let parent = (absolute as NSString).deletingLastPathComponent
        let name = (absolute as NSString).lastPathComponent
        if PosixFiles.lstat(parent) != nil { return resolved(parent) + "/" + name }
        return absolute
    }
}
