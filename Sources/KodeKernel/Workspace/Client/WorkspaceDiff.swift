import Foundation

/// How the work directory changed from a checkpoint to now: per path what happened, and for
/// text files a line diff (the app's `p` preview).
public struct WorkspaceDiff: Sendable, Hashable {
    public struct File: Sendable, Hashable {
        public var path: String
        /// `create` (new since the checkpoint), `delete` (gone since), `modify`, `mode`, `kind`.
        public var action: WorkspaceChange.Action
        /// Lines of the diff (empty for binary files, links and directories). Untrusted text:
        /// sanitize before showing.
        public var lines: [String]

        public init(path: String, action: WorkspaceChange.Action, lines: [String]) {
            self.path = path
            self.action = action
            self.lines = lines
        }
    }

    public var checkpoint: String
    public var files: [File]

    public init(checkpoint: String, files: [File]) {
        self.checkpoint = checkpoint
        self.files = files
    }
}

extension Agent {
    /// The diff of `agentId`'s work directory between checkpoint `checkpointId` and now, read
    /// from the store without taking the agent's writer lock (it may be running).
    public static func workspaceDiff(of agentId: AgentID, at checkpointId: String, store: any AgentStore) async throws -> WorkspaceDiff {
        guard let fileStore = store as? FileStore else { throw WorkspaceError.disabled(agentId) }
        let history = try await store.history(of: agentId)
        let checkpoint = try checkpoint(checkpointId, in: history)
        guard let snapshot = try await workspaceSnapshot(of: agentId, before: checkpoint.seq, store: store) else {
            throw WorkspaceError.noSnapshot(checkpoint: checkpoint.id)
        }
        let blobs = BlobStore(storeRoot: fileStore.root)
        let then = try WorkspaceTree.load(snapshot.tree, from: blobs)
        // The old tree doubles as the stat cache: files untouched since are not read again.
        let scanner = WorkspaceScanner(workDir: snapshot.workDir, storeRoot: WorkspacePaths.resolved(fileStore.root.path),
                                       config: history.manifest.config.workspace, blobs: blobs)
        let batch = BlobBatch(store: blobs)
        let now = try blobs.withLock(exclusive: false) { try scanner.scan(previous: then, batch: batch).0 }
        let before = then.byPath
        let after = now.byPath
        var files: [WorkspaceDiff.File] = []
        // What would turn the checkpoint into now: the same plan a rewind makes, the other way.
        for change in WorkspaceRestorer.plan(from: then, to: now) {
            var lines: [String] = []
            if change.action == .modify || change.action == .create || change.action == .delete,
               before[change.path]?.kind ?? .file == .file, after[change.path]?.kind ?? .file == .file {
                let old = try before[change.path].map { try text(of: $0, in: blobs) } ?? ""
                let new = try after[change.path].map { try text(of: $0, in: blobs) } ?? ""
                if let old, let new { lines = LineDiff.render(old: old, new: new) } else { lines = ["(binary file)"] }
            }
            files.append(WorkspaceDiff.File(path: change.path, action: change.action, lines: lines))
        }
        return WorkspaceDiff(checkpoint: checkpoint.id, files: files)
    }

    /// A file's contents as text, or nil when they are not UTF-8 text.
    private static func text(of entry: WorkspaceEntry, in blobs: BlobStore) throws -> String? {
        guard entry.kind == .file else { return "" }
        let bytes = try blobs.read(entry.hash)
        if bytes.contains(0) { return nil }
        return String(validating: bytes, as: UTF8.self)
    }
}
