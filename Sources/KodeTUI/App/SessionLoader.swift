import Foundation
import KodeKernel

/// Reads what the app needs about agents through the client API only (`AgentHub`,
/// `AgentHandle`): the open agent's newest state for the view, the store's agents for the tree,
/// any agent's checkpoints and past states for previews. Nothing here reads a log from its
/// start: a view costs the messages it shows, however long the agent's history is.
package enum SessionLoader {
    /// Messages a view starts with: a few screens of a tall terminal.
    package static let windowMessages = 200
    /// Older messages fetched at a time when the person scrolls back past the first one.
    package static let pageMessages = 200

    /// Builds the model for `handle` from a window of its state (the newest `messages`
    /// messages). Returns the model and the bookmark to subscribe from (the window's last
    /// record), so no event is missed or shown twice.
    package static func model(
        for handle: any AgentHandle, width: Int, height: Int, unicode: Bool, keymap: Keymap, hosted: Bool = false,
        messages: Int = windowMessages, now: Date = Date()
    ) async throws -> (AppModel, Bookmark) {
        let status = try await handle.status()
        let window = try await handle.window(messages: messages)
        let state = window.state
        var info = SessionInfo(
            agentId: handle.id, provider: status.provider, state: state.runtimeState, breakpoint: state.breakpoint,
            usage: state.usage, costUSD: state.costUSD, parent: handle.manifest.parent, sandbox: status.sandbox)
        info.hosted = hosted
        info.title = state.title
        info.todos = state.todos
        info.otherWorkDir = otherWorkDir(handle.manifest.config.workDir)
        info.workDir = handle.manifest.config.workDir
        var model = AppModel(info: info, width: width, height: height, unicode: unicode, keymap: keymap)
        model.conversation = ConversationModel(window: window)
        model.rules = state.rules
        model.approvals.load(state.pendingApprovals)
        if !model.approvals.isEmpty { model.approvals.markShown(at: now) }
        model.tree.current = handle.id
        model.monitor.note(summary(window, hosted: hosted), role: .hint, category: .state, at: now)
        if status.turnInterrupted {
            model.conversation.addNotice("this agent's last turn was interrupted: Ctrl+R continues it", role: .hint, at: now)
        }
        return (model, Bookmark(seq: state.lastSeq, timestamp: now))
    }

    /// `workDir` when it differs from the launch directory (symlinks resolved on both sides).
    static func otherWorkDir(_ workDir: String) -> String? {
        let launch = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).resolvingSymlinksInPath().path
        let own = URL(fileURLWithPath: workDir).resolvingSymlinksInPath().path
        return own == launch ? nil : workDir
    }

    /// The monitor's first line: the monitor shows live events, so after an attach it says
    /// where the agent stands rather than replaying its past.
    static func summary(_ window: AgentStateWindow, hosted: Bool) -> String {
        let s = window.state
        var parts = ["\(hosted ? "attached" : "opened") at #\(s.lastSeq): \(window.messageCount) messages", "state \(s.runtimeState.rawValue)"]
        if s.breakpoint != .ready { parts.append("breakpoint \(s.breakpoint.rawValue)") }
        let pending = s.pendingApprovals.count
        if pending > 0 { parts.append("\(pending) approval\(pending == 1 ? "" : "s") pending") }
        if !s.queuedInputs.isEmpty { parts.append("\(s.queuedInputs.count) input(s) queued") }
        if !s.todos.isEmpty { parts.append("todos \(s.todos.filter { $0.status == .completed }.count)/\(s.todos.count) done") }
        return parts.joined(separator: " · ") + "; live events follow"
    }

    /// The open agent's own safe fork points from its window (for a fork: those after its fork point).
    package static func checkpoints(_ state: AgentState, manifest: AgentManifest) -> [Checkpoint] {
        guard let parent = manifest.parent else { return state.checkpoints }
        return state.checkpoints.filter { $0.seq > parent.seq }
    }

    /// Every agent of the hub, checkpoints not loaded.
    package static func agents(in hub: any AgentHub) async throws -> [AgentNode] {
        try await hub.list().map { AgentNode(manifest: $0.manifest) }
    }

    /// Another agent's own safe fork points, read without opening it.
    package static func checkpoints(of id: AgentID, in hub: any AgentHub) async throws -> [Checkpoint] {
        let view = try await hub.state(of: id, at: nil)
        return checkpoints(view.state, manifest: view.manifest)
    }

    /// The conversation as it was at `checkpoint`.
    package static func preview(of id: AgentID, at checkpoint: Checkpoint, in hub: any AgentHub) async throws -> ConversationModel {
        ConversationModel(state: try await hub.state(of: id, at: checkpoint.seq).state)
    }
}
