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
        let history = try await store.history(of: parentId)
        let checkpoint = try find(checkpointId, in: checkpoints(in: history))
        return try await createChild(of: history.manifest, at: checkpoint, store: store)
    }

    /// The safe fork points of a stored history without rebuilding the conversation: the
    /// snapshot's checkpoint list (decoded alone) plus the checkpoint events after it.
    static func checkpoints(in history: AgentHistory) throws -> [Checkpoint] {
        var points: [Checkpoint] = []
        var after: UInt64 = 0
        if let snapshot = history.snapshot {
            let partial = try AgentState.decodeCheckpoints(snapshot.data)
            points = partial.checkpoints
            after = partial.lastSeq
        }
        for record in history.records where record.seq > after {
            if case .event(.checkpointCreated(let e)) = record.body {
                if let index = points.firstIndex(where: { $0.id == e.checkpoint.id }) {
                    points[index] = e.checkpoint
                } else {
                    points.append(e.checkpoint)
                }
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

    static func createChild(of parent: AgentManifest, at checkpoint: Checkpoint, store: any AgentStore) async throws -> AgentID {
        let ref = ParentRef(agentId: parent.id, seq: checkpoint.seq)
        let child = AgentManifest(id: AgentManifest.newID(), config: parent.config, parent: ref)
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
