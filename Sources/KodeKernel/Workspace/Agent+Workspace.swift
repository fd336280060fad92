import Foundation

extension Agent {
    /// Records the work directory's snapshot, to be stored with the next commit (its blobs are
    /// already durable). A snapshot that fails is a Monitor warning, never the end of the turn:
    /// the conversation goes on, and that checkpoint then means the previous snapshot's files.
    func recordWorkspace() {
        guard let workspace else { return }
        do {
            let (snapshot, report) = try workspace.snapshot()
            record(.workspaceSnapshot(snapshot))
            if let unreadable = workspace.newUnreadable(in: report), !unreadable.isEmpty {
                let list = unreadable.prefix(10).map { "\($0.path) (\($0.reason))" }.joined(separator: "; ")
                emit(.error(ErrorEvent(
                    phase: .system, severity: .warning,
                    message: "\(unreadable.count) path(s) in the work directory could not be read and are not in its snapshots; a rewind leaves them as they are",
                    detail: list)))
            }
        } catch {
            emit(.error(ErrorEvent(phase: .system, severity: .warning, message: "workspace snapshot failed; this checkpoint keeps the previous snapshot's files", detail: "\(error)")))
        }
    }

    /// The newest workspace snapshot at or before `seq` in this agent's lineage.
    func workspaceSnapshot(before seq: UInt64) async throws -> WorkspaceSnapshotRecord? {
        try await Agent.workspaceSnapshot(of: id, before: seq, store: store)
    }

    /// The newest workspace snapshot recorded before `seq` in `agentId`'s lineage.
    static func workspaceSnapshot(of agentId: AgentID, before seq: UInt64, store: any AgentStore) async throws -> WorkspaceSnapshotRecord? {
        var found: WorkspaceSnapshotRecord?
        for record in try await store.records(of: agentId, after: 0) {
            if record.seq > seq { break }
            if case .workspaceSnapshot(let snapshot) = record.body { found = snapshot }
        }
        return found
    }

    /// For each checkpoint of `agentId` recorded after `after`, the snapshot just before it
    /// (absent when none was recorded in between): the counts the checkpoint tree shows.
    public static func workspaceChanges(of agentId: AgentID, after: UInt64 = 0, store: any AgentStore) async throws -> [String: WorkspaceSnapshotRecord] {
        var byCheckpoint: [String: WorkspaceSnapshotRecord] = [:]
        var pending: WorkspaceSnapshotRecord?
        for record in try await store.records(of: agentId, after: after) {
            switch record.body {
            case .workspaceSnapshot(let snapshot): pending = snapshot
            case .event(.checkpointCreated(let event)):
                if let pending, byCheckpoint[event.checkpoint.id] == nil { byCheckpoint[event.checkpoint.id] = pending }
                pending = nil
            default: break
            }
        }
        return byCheckpoint
    }
}
