import Foundation
import KodeKernel

/// Forks as people expect (issue 12): the agent forked from is never interrupted (a fork only
/// reads its log), and a fork at a user message's checkpoint branches just before that message
/// and hands the message to the child's composer to edit and send again.
enum AgentSwitching {
    static func fork(
        _ parentId: AgentID, at checkpoint: Checkpoint?, previous: Checkpoint?, workspace mode: WorkspaceForkMode,
        current: any AgentHandle, hub: any AgentHub,
        post: @escaping @Sendable (LoopMessage) -> Void
    ) async throws {
        var source = parentId
        var at = checkpoint?.id ?? "latest"
        var draft: String?
        if let checkpoint, let text = try await userMessage(of: parentId, at: checkpoint, current: current, hub: hub) {
            draft = text
            if let previous {
                at = previous.id
            } else if let parent = try await hub.manifest(of: parentId).parent {
                // The message is the first of a fork: branch where that fork branched.
                source = parent.agentId
                at = "cp_\(parent.seq)"
            } else {
                // The first message of all: before it there is only an empty agent.
                let config = try await hub.manifest(of: parentId).config
                let fresh = try await hub.create(config)
                post(.action(.forked(AgentNode(manifest: fresh.manifest))))
                post(.switched(fresh, notice: "new agent \(fresh.id) to resend the first message of \(parentId): edit it and press Enter", draft: text))
                return
            }
        }
        // A workspace of its own goes through the hub (which copies the files); a shared one is
        // the plain fork, through the open handle when it is the current agent.
        let child = mode != .shared ? try await hub.fork(source, at: at, workspace: mode)
            : source == current.id ? try await current.fork(at: at) : try await hub.fork(source, at: at)
        let view = try await hub.state(of: child, at: nil)
        post(.action(.forked(AgentNode(manifest: view.manifest))))
        let opened = try await hub.open(child, options: OpenOptions())
        let point = checkpoint.map { $0.label ?? $0.id } ?? "its latest safe point"
        let notice = draft == nil
            ? "forked from \(parentId) at \(point)"
            : "forked \(parentId) before its message at \(point): edit it and press Enter"
        post(.switched(opened, notice: notice, draft: draft))
    }

    /// The text of the user message `checkpoint` was taken at, when it was one (a checkpoint
    /// follows the message it names, so it is the last message at that point).
    static func userMessage(of agent: AgentID, at checkpoint: Checkpoint, current: any AgentHandle, hub: any AgentHub) async throws -> String? {
        guard checkpoint.messageCount > 0 else { return nil }
        let message: Message?
        if agent == current.id {
            message = try await current.transcript(checkpoint.messageCount - 1..<checkpoint.messageCount).messages.last
        } else {
            message = try await hub.state(of: agent, at: checkpoint.seq).state.messages.last
        }
        guard let message, message.role == .user, !message.text.isEmpty,
              !message.content.contains(where: { if case .toolResult = $0 { return true } else { return false } }) else { return nil }
        return message.text
    }
}
