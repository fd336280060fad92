import Foundation

// Workspace operations through the client API. They need the agent's own process (rewind) or
// the store's files (forks with a workspace, diffs, change counts), so they work on an embedded
// hub; through a host connection they say so instead of half-working.

extension AgentHandle {
    /// What rewinding to `checkpointId` would change (``Agent/rewindPlan(to:files:conversation:)``).
    public func rewindPlan(to checkpointId: String, files: Bool = true, conversation: Bool = true) async throws -> RewindPlan {
        try await localAgent().rewindPlan(to: checkpointId, files: files, conversation: conversation)
    }

    /// Rewinds files and conversation (``Agent/rewind(to:files:conversation:onStep:)``).
    public func rewind(to checkpointId: String, files: Bool = true, conversation: Bool = true) async throws -> RewindOutcome {
        try await localAgent().rewind(to: checkpointId, files: files, conversation: conversation)
    }

    private func localAgent() throws -> Agent {
        guard let local = self as? LocalAgentHandle else {
            throw WorkspaceError.busy("rewind is not available through a host connection yet; stop the host (or run `kode rewind` with the agent stopped)")
        }
        return local.agent
    }
}

extension AgentHub {
    /// A child with a workspace of its own (``Agent/fork(_:at:store:workspace:directory:)``);
    /// `shared` is ``fork(_:at:)``.
    public func fork(_ id: AgentID, at checkpoint: String, workspace mode: WorkspaceForkMode, directory: String? = nil) async throws -> AgentID {
        if mode == .shared { return try await fork(id, at: checkpoint) }
        return try await Agent.fork(id, at: checkpoint, store: try localStore(), workspace: mode, directory: directory)
    }

    /// For each checkpoint of `id` after seq `after`, how many paths the snapshot just before
    /// it changed (empty through a host connection).
    public func workspaceChanges(of id: AgentID, after: UInt64 = 0) async throws -> [String: Int] {
        guard let local = self as? LocalAgentHub else { return [:] }
        return try await Agent.workspaceChanges(of: id, after: after, store: local.store).mapValues(\.changed)
    }

    /// How the work directory changed from `checkpoint` to now.
    public func workspaceDiff(of id: AgentID, at checkpoint: String) async throws -> WorkspaceDiff {
        try await Agent.workspaceDiff(of: id, at: checkpoint, store: try localStore())
    }

    private func localStore() throws -> any AgentStore {
        guard let local = self as? LocalAgentHub else {
            throw WorkspaceError.busy("workspace forks and diffs are not available through a host connection yet; use `kode fork --workspace` from a shell")
        }
        return local.store
    }
}
