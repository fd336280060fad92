import Foundation

/// Puts a directory in the state of a snapshot tree: what the current tree has and the target
/// does not is removed, what differs is written. Only captured paths are touched: ignored and
/// not-captured files stay as they are, and a directory that still holds them stays too.
///
/// Idempotent: run again on a half-restored directory it converges on the same result, which is
/// what lets a rewind cut short by a crash be finished on the next open.
package struct WorkspaceRestorer {
    let workDir: String
    let blobs: BlobStore

    package init(workDir: String, blobs: BlobStore) {
        self.workDir = workDir
        self.blobs = blobs
    }

    /// What restoring `target` over `current` (nil: an empty directory) changes, removals first.
    package static func plan(from current: WorkspaceTree?, to target: WorkspaceTree) -> [WorkspaceChange] {
        let now = current?.byPath ?? [:]
        let wanted = target.byPath
        var removals: [WorkspaceChange] = []
        for (path, entry) in now where entry.kind != .notCaptured {
            guard let goal = wanted[path] else {
                removals.append(WorkspaceChange(path: path, action: .delete))
                continue
            }
            if goal.kind != entry.kind && goal.kind != .notCaptured { removals.append(WorkspaceChange(path: path, action: .kind)) }
        }
        removals.sort { depth($0.path) != depth($1.path) ? depth($0.path) > depth($1.path) : $0.path < $1.path }
        var writes: [WorkspaceChange] = []
        for (path, goal) in target.flattened where goal.kind != .notCaptured {
            guard let entry = now[path], entry.kind != .notCaptured else {
                if now[path] == nil { writes.append(WorkspaceChange(path: path, action: .create)) }
                continue
            }
            if entry.kind != goal.kind { continue }
            switch goal.kind {
            case .file where entry.hash != goal.hash, .symlink where entry.detail != goal.detail:
                writes.append(WorkspaceChange(path: path, action: .modify))
            case .file, .directory:
                if entry.mode != goal.mode { writes.append(WorkspaceChange(path: path, action: .mode)) }
            default:
                break
            }
        }
        return removals + writes
    }

    private static func depth(_ path: String) -> Int { path.utf8.reduce(0) { $1 == UInt8(ascii: "/") ? $0 + 1 : $0 } }

    /// Applies `changes` (from ``plan(from:to:)``), calling `progress` after each, then makes
    /// them durable: every written file, then every directory whose entries changed. Returns directories that could not be removed because they hold files the
    /// snapshot does not cover.
    package func apply(_ changes: [WorkspaceChange], current: WorkspaceTree?, target: WorkspaceTree,
               progress: (Int, WorkspaceChange) -> Void) throws -> [String] {
        let now = current?.byPath ?? [:]
        let wanted = target.byPath
        var kept: [String] = []
        var directoryModes: [(String, UInt32)] = []
        var durable = SyncSet()
        var index = 0
        for change in changes {
            index += 1
            let path = try checked(change.path)
            durable.directory((path as NSString).deletingLastPathComponent)
            switch change.action {
            case .delete, .kind:
                if now[change.path]?.kind == .directory {
                    if !PosixFiles.removeDirectory(path) {
                        kept.append(change.path)
                        if change.action == .kind {
                            throw WorkspaceError.io(WorkspaceIOError(path: path, message: "cannot turn this directory into a \(wanted[change.path]?.kind == .symlink ? "link" : "file"): it holds files that are not captured", code: ENOTEMPTY))
                        }
                    }
                } else {
                    try PosixFiles.removeFile(path)
                }
                if change.action == .kind, let goal = wanted[change.path] {
                    try write(goal, at: path, relative: change.path, directoryModes: &directoryModes, durable: &durable)
                }
            case .create, .modify:
                guard let goal = wanted[change.path] else { continue }
                try write(goal, at: path, relative: change.path, directoryModes: &directoryModes, durable: &durable)
            case .mode:
                guard let goal = wanted[change.path] else { continue }
                if goal.kind == .directory {
                    directoryModes.append((path, goal.mode))
                } else {
                    try PosixFiles.chmod(path, goal.mode)
                    durable.file(path)
                }
            }
            progress(index, change)
        }
        // Deepest first, so a read-only directory is closed only after what goes inside it.
        for (path, mode) in directoryModes.reversed() {
            try PosixFiles.chmod(path, mode)
            durable.directory(path)
        }
        try durable.sync(fileSystem: workDir)
        return kept
    }

    private func write(_ goal: WorkspaceEntry, at path: String, relative: String, directoryModes: inout [(String, UInt32)], durable: inout SyncSet) throws {
        try ensureRealParents(of: relative)
        let parent = (path as NSString).deletingLastPathComponent
        do {
            switch goal.kind {
            case .directory:
                // Writable while it is filled; its own mode is set at the end.
                try PosixFiles.makeDirectory(path, mode: 0o700)
                directoryModes.append((path, goal.mode))
                durable.directory(path)
            case .file:
                let bytes = try blobs.read(goal.hash)
                let temporary = parent + "/.kode-restore-" + ShortID.make()
                try bytes.withUnsafeBytes { (raw) in try PosixFiles.writeNew(temporary, raw, mode: goal.mode, sync: false) }
                do {
                    try PosixFiles.rename(temporary, path)
                } catch {
                    PosixFiles.unlink(temporary)
                    throw error
                }
                durable.file(path)
            case .symlink:
                let temporary = parent + "/.kode-restore-" + ShortID.make()
                try PosixFiles.symlink(goal.detail, at: temporary)
                do {
                    try PosixFiles.rename(temporary, path)
                } catch {
                    PosixFiles.unlink(temporary)
                    throw error
                }
            case .notCaptured:
                break
            }
        }
    }

    /// The absolute path of a tree path, refusing any name that could leave the work directory.
    private func checked(_ relative: String) throws -> String {
        for component in relative.split(separator: "/", omittingEmptySubsequences: false) {
            if component.isEmpty || component == "." || component == ".." || component.contains("\0") {
                throw WorkspaceError.outsideWorkDir(relative)
            }
        }
        return workDir + "/" + relative
    }

    /// Every directory between the work directory and `relative` must be a real directory, not a
    /// link: writing through a link could land outside.
    private func ensureRealParents(of relative: String) throws {
        var path = workDir
        let components = relative.split(separator: "/")
        for component in components.dropLast() {
            path += "/" + component
            guard PosixFiles.lstat(path)?.kind == .directory else { throw WorkspaceError.outsideWorkDir(relative) }
        }
    }
}
