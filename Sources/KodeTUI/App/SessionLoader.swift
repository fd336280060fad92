import Foundation
import KodeKernel

/// Reads what the app needs about agents through the package API only: the open agent's
/// history folded into the view model, the store's agents for the tree, and any agent's
/// checkpoints (from its history, never by opening it for writing).
package enum SessionLoader {
    /// Builds the model for `agent` from its stored history. Returns the model and the bookmark
    /// to subscribe from, so no event is missed or shown twice.
    package static func model(for agent: Agent, store: any AgentStore, width: Int, height: Int, unicode: Bool, keymap: Keymap) async throws -> (AppModel, Bookmark?) {
        let status = await agent.status()
        let info = SessionInfo(agentId: agent.id, provider: status.provider, state: status.runtimeState, breakpoint: status.breakpoint, usage: status.usage, costUSD: status.costUSD, parent: status.parent, sandbox: status.sandbox)
        var model = AppModel(info: info, width: width, height: height, unicode: unicode, keymap: keymap)
        let records = try await store.records(of: agent.id, after: 0)
        var last: Bookmark?
        for record in records {
            model.conversation.apply(record: record, agentId: agent.id)
            if let env = record.envelope(agentId: agent.id) {
                model.approvals.apply(env)
                model.monitor.apply(env)
            }
            last = Bookmark(seq: record.seq, timestamp: record.timestamp)
        }
        // The agent's own view of pending approvals wins (a resume may have sealed some).
        let pending = Set(status.pendingApprovals.map(\.id))
        for req in model.approvals.pending where !pending.contains(req.callId) { model.approvals.remove(req.callId) }
        if !model.approvals.isEmpty { model.approvals.markShown(at: Date()) }
        // Status may be newer than the records read (events still buffered).
        model.info.state = status.runtimeState
        model.info.breakpoint = status.breakpoint
        if status.turnInterrupted {
            model.conversation.addNotice("this agent's last turn was interrupted: Ctrl+R continues it", role: .hint, at: Date())
        }
        return (model, last ?? (status.lastSeq > 0 ? Bookmark(seq: status.lastSeq, timestamp: Date()) : nil))
    }

    /// Every agent in the store, checkpoints not loaded.
    package static func agents(in store: any AgentStore) async throws -> [AgentNode] {
        try await store.list().map(AgentNode.init(manifest:))
    }

    /// An agent's own safe fork points (for a fork: those after its fork point).
    package static func checkpoints(of id: AgentID, in store: any AgentStore) async throws -> [Checkpoint] {
        let history = try await store.history(of: id)
        let state = try AgentState.rebuild(from: history)
        let after = history.manifest.parent?.seq ?? 0
        return state.checkpoints.filter { $0.seq > after || history.manifest.parent == nil }
    }

    /// The conversation as it was at `checkpoint`.
    package static func preview(of id: AgentID, at checkpoint: Checkpoint, in store: any AgentStore) async throws -> ConversationModel {
        var conv = ConversationModel()
        for record in try await store.records(of: id, after: 0) where record.seq <= checkpoint.seq {
            conv.apply(record: record, agentId: id)
        }
        return conv
    }
}
