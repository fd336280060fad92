import Foundation

extension Agent {
    /// What rewinding to `checkpointId` would change, without changing anything.
    public func rewindPlan(to checkpointId: String, files: Bool = true, conversation: Bool = true) async throws -> RewindPlan {
        try ensureRewindable(files: files)
        let checkpoint = try Agent.find(checkpointId, in: state.checkpoints)
        return try await plan(checkpoint, files: files, conversation: conversation).plan
    }

    /// Puts the work directory and/or the conversation back as they were at `checkpointId`.
    ///
    /// First the present is recorded as a checkpoint (``RewindOutcome/before``), so the rewind
    /// can be undone; then an intent record is made durable, the files are restored, and a
    /// completion record is written. A process killed in between has the rewind finished when
    /// the agent is next opened (``resume(id:dependencies:)``). `onStep` sees each durable step.
    public func rewind(
        to checkpointId: String, files: Bool = true, conversation: Bool = true,
        onStep: (@Sendable (RewindStep) -> Void)? = nil
    ) async throws -> RewindOutcome {
        try ensureRewindable(files: files)
        let checkpoint = try Agent.find(checkpointId, in: state.checkpoints)
        let (plan, target) = try await self.plan(checkpoint, files: files, conversation: conversation)
        // The plan's scan is the newest snapshot: recording the present costs no second walk.
        recordWorkspace()
        addSafePoint(preview: "before rewind to \(checkpoint.id)")
        guard let before = state.checkpoints.last else { throw AgentError.noCheckpoint }
        try await commit(.durable)
        onStep?(.recordedBefore)
        let intent = RewindRecord(
            id: "rw_" + ShortID.make(), phase: .intent, toCheckpoint: checkpoint.id, beforeCheckpoint: before.id,
            targetTree: target?.rootHash, workDir: workspace?.workDir ?? manifest.config.workDir, files: files, conversation: conversation)
        record(.rewind(intent))
        try await commit(.durable)
        onStep?(.intentDurable)
        let kept = try await complete(intent, checkpoint: checkpoint, onStep: onStep)
        return RewindOutcome(plan: plan, before: before, keptDirectories: kept)
    }

    /// Finishes a rewind whose intent is durable and whose completion is not (the process died
    /// in between). Called on open, before anything else can touch the files.
    func finishInterruptedRewind(in records: [LogRecord]) async throws {
        var open: RewindRecord?
        for record in records {
            guard case .rewind(let rewind) = record.body else { continue }
            open = rewind.phase == .intent ? rewind : (open?.id == rewind.id ? nil : open)
        }
        guard let intent = open, let checkpoint = try? Agent.find(intent.toCheckpoint, in: state.checkpoints) else { return }
        do {
            _ = try await complete(intent, checkpoint: checkpoint, onStep: nil)
        } catch let error as AgentError {
            throw error
        } catch {
            // The agent still opens (a restore that cannot finish must not lock it out); the
            // intent stays open, so the next open tries again, and says so each time.
            emit(.error(ErrorEvent(
                phase: .system, severity: .error,
                message: "a rewind to \(checkpoint.id) was interrupted by a crash and cannot be completed; the work directory may be partly restored",
                detail: "\(error); fix the cause and reopen the agent, or rewind to \(intent.beforeCheckpoint) to go back")))
            try await commit(.durable)
            return
        }
        emit(.error(ErrorEvent(
            phase: .system, severity: .warning,
            message: "a rewind to \(checkpoint.id) was interrupted by a crash and has been completed on open",
            detail: "rewind to \(intent.beforeCheckpoint) to undo it")))
        try await commit(.durable)
    }

    /// Restores the files (idempotent), the conversation, then the completion record.
    private func complete(_ intent: RewindRecord, checkpoint: Checkpoint, onStep: (@Sendable (RewindStep) -> Void)?) async throws -> [String] {
        var kept: [String] = []
        if intent.files, let treeHash = intent.targetTree, let workspace {
            let target = try loadTree(treeHash, workspace: workspace)
            _ = try workspaceIO { try workspace.snapshot() }
            let current = workspace.current
            let changes = WorkspaceRestorer.plan(from: current, to: target)
            let restorer = WorkspaceRestorer(workDir: workspace.workDir, blobs: workspace.blobs)
            kept = try restorer.apply(changes, current: current, target: target) { index, _ in onStep?(.changed(index)) }
        }
        if intent.conversation {
            let past = try await state(at: checkpoint.seq)
            let calls = past.messages.flatMap(\.toolUses).compactMap { past.toolCalls[$0.id] }
            record(.conversationRewound(ConversationRewind(toCheckpoint: checkpoint.id, messages: past.messages, toolCalls: calls, todos: past.todos)))
        }
        recordWorkspace()
        var done = intent
        done.phase = .done
        record(.rewind(done))
        addSafePoint(preview: "rewound to \(checkpoint.id)")
        try await commit(.durable)
        onStep?(.done)
        return kept
    }

    private func plan(_ checkpoint: Checkpoint, files: Bool, conversation: Bool) async throws -> (plan: RewindPlan, target: WorkspaceTree?) {
        var changes: [WorkspaceChange] = []
        var target: WorkspaceTree?
        var notCaptured: [WorkspaceNotCaptured] = []
        if files, let workspace {
            guard let snapshot = try await workspaceSnapshot(before: checkpoint.seq) else { throw WorkspaceError.noSnapshot(checkpoint: checkpoint.id) }
            let tree = try loadTree(snapshot.tree, workspace: workspace)
            _ = try workspaceIO { try workspace.snapshot() }
            changes = WorkspaceRestorer.plan(from: workspace.current, to: tree)
            notCaptured = snapshot.notCaptured
            target = tree
        }
        let plan = RewindPlan(
            checkpoint: checkpoint, files: files, conversation: conversation, changes: changes,
            messagesNow: state.messages.count, messagesAfter: conversation ? checkpoint.messageCount : state.messages.count,
            notCaptured: notCaptured)
        return (plan, target)
    }

    /// The state as it was at `seq`: the lineage's records up to it, folded.
    func state(at seq: UInt64) async throws -> AgentState {
        var past = AgentState(id: id)
        for record in try await store.records(of: id, after: 0) {
            if record.seq > seq { break }
            past.apply(record)
        }
        return past
    }

    private func ensureRewindable(files: Bool) throws {
        try ensureWritable()
        if files && workspace == nil { throw WorkspaceError.disabled(id) }
        if turnTask != nil { throw WorkspaceError.busy("agent \(id) is running a turn; interrupt it or wait until it is idle before rewinding") }
        if state.turnOpen || !state.pendingApprovals.isEmpty {
            throw WorkspaceError.busy("agent \(id) has an interrupted turn or pending approvals; continue or finish it before rewinding")
        }
    }

    private func loadTree(_ hash: String, workspace: WorkspaceRecorder) throws -> WorkspaceTree {
        try workspaceIO { try WorkspaceTree.load(hash, from: workspace.blobs) }
    }

    private func workspaceIO<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as WorkspaceIOError { throw WorkspaceError.io(error) }
    }
}
