import Foundation

extension Agent {
    /// Names the newest safe fork point (the label is durable).
    @discardableResult
    public func checkpoint(label: String?) async throws -> Checkpoint {
        try ensureWritable()
        guard var newest = state.checkpoints.last else { throw AgentError.noCheckpoint }
        newest.label = label
        emit(.checkpointCreated(CheckpointCreatedEvent(checkpoint: newest)))
        try await commit(.durable)
        return newest
    }

    /// Forks a child at a safe fork point of this agent. Constant cost: the child's manifest points
    /// at `{self, checkpoint.seq}` and nothing is copied. The child lives in the same store; open
    /// it with ``resume(id:store:provider:tools:hooks:sandbox:costEstimator:)``.
    public func fork(at checkpointId: String) async throws -> AgentID {
        try ensureWritable()
        let checkpoint = try Agent.find(checkpointId, in: state.checkpoints)
        let child = try await Agent.createChild(of: manifest, at: checkpoint, store: store)
        emit(.agentForked(AgentForkedEvent(parent: ParentRef(agentId: id, seq: checkpoint.seq), child: child)))
        try await commit(.durable)
        return child
    }

    /// Forks a stored agent without opening it for writing (it may be running in another process).
    /// `checkpointId` may be `latest`.
    public static func fork(_ parentId: AgentID, at checkpointId: String, store: any AgentStore) async throws -> AgentID {
        try await fork(parentId, at: checkpointId, store: store, workspace: .shared)
    }

    /// Forks a stored agent into a workspace of its own (`copy`, `worktree`) or the parent's
    /// (`shared`). `directory` is where a `copy` or `worktree` goes (a new or empty directory;
    /// default `<parent work dir>.fork-<child id>`). Only `shared` is constant time: the others
    /// write the checkpoint's files.
    public static func fork(
        _ parentId: AgentID, at checkpointId: String, store: any AgentStore,
        workspace mode: WorkspaceForkMode, directory: String? = nil
    ) async throws -> AgentID {
        let history = try await store.history(of: parentId)
        let checkpoint = try checkpoint(checkpointId, in: history)
        guard mode != .shared else { return try await createChild(of: history.manifest, at: checkpoint, store: store) }
        guard let fileStore = store as? FileStore else { throw WorkspaceError.disabled(parentId) }
        guard let snapshot = try await workspaceSnapshot(of: parentId, before: checkpoint.seq, store: store) else {
            throw WorkspaceError.noSnapshot(checkpoint: checkpoint.id)
        }
        let blobs = BlobStore(storeRoot: fileStore.root)
        let tree: WorkspaceTree
        tree = try WorkspaceTree.load(snapshot.tree, from: blobs)
        let childId = AgentManifest.newID()
        let materializer = WorkspaceMaterializer(
            storeRoot: WorkspacePaths.resolved(fileStore.root.path), blobs: blobs, config: history.manifest.config.workspace)
        let workDir = try materializer.make(mode, tree: tree, parentWorkDir: snapshot.workDir, child: childId, directory: directory)
        var config = history.manifest.config
        config.workDir = workDir
        return try await createChild(of: history.manifest, at: checkpoint, store: store, id: childId, config: config)
    }

    /// A checkpoint of a stored history by id, label or `latest`.
    static func checkpoint(_ checkpointId: String, in history: AgentHistory) throws -> Checkpoint {
        // Points recorded after the newest snapshot answer most forks (`latest` always, when
        // there is one) without decoding the snapshot at all.
        let recent = merge(history.records.compactMap { record -> Checkpoint? in
            if case .event(.checkpointCreated(let e)) = record.body, record.seq > (history.snapshot?.seq ?? 0) { return e.checkpoint }
            return nil
        }, into: [])
        if let found = try? find(checkpointId, in: recent) { return found }
        return try find(checkpointId, in: checkpoints(in: history))
    }

    /// The safe fork points of a stored history without rebuilding the conversation: the
    /// snapshot's checkpoint list (decoded alone) plus the checkpoint events after it.
    static func checkpoints(in history: AgentHistory) throws -> [Checkpoint] {
        var points: [Checkpoint] = []
        var after: UInt64 = 0
        if let snapshot = history.snapshot {
            let partial = try AgentState.decodeCheckpoints(snapshot.data, source: snapshot.source)
            points = partial.checkpoints
            after = partial.lastSeq
        }
        let later = history.records.compactMap { record -> Checkpoint? in
            if case .event(.checkpointCreated(let e)) = record.body, record.seq > after { return e.checkpoint }
            return nil
        }
        return merge(later, into: points)
    }

    /// Appends checkpoints in order; a repeated id (a label added later) replaces the earlier entry.
    static func merge(_ later: [Checkpoint], into points: [Checkpoint]) -> [Checkpoint] {
        var points = points
        for checkpoint in later {
            if let index = points.firstIndex(where: { $0.id == checkpoint.id }) {
                points[index] = checkpoint
            } else {
                points.append(checkpoint)
            }
        }
        return points
    }

    static func find(_ checkpointId: String, in checkpoints: [Checkpoint]) throws -> Checkpoint {
        if checkpointId == "latest" {
            guard let newest = checkpoints.last else { throw AgentError.noCheckpoint }
            return newest
        }
        if let found = checkpoints.first(where: { $0.id == checkpointId || $0.label == checkpointId }) { return found }
        throw AgentError.unknownCheckpoint(checkpointId, available: checkpoints.map(\.id))
    }

    static func createChild(
        of parent: AgentManifest, at checkpoint: Checkpoint, store: any AgentStore,
        id: AgentID = AgentManifest.newID(), config: AgentConfig? = nil
    ) async throws -> AgentID {
        let ref = ParentRef(agentId: parent.id, seq: checkpoint.seq)
        let child = AgentManifest(id: id, config: config ?? parent.config, parent: ref)
        try await store.create(child)
        let writer = try await store.openWriter(child.id)
        do {
            let first = LogRecord(seq: checkpoint.seq + 1, timestamp: Date(), body: .event(.agentForked(AgentForkedEvent(parent: ref, child: child.id))))
            try await writer.append([first], durability: .durable)
            try await writer.close()
        } catch {
            try? await writer.close()
            throw error
        }
        return child.id
    }
}
