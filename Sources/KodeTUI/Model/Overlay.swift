import KodeKernel

/// Which pane has the keyboard.
package enum Pane: String, Sendable, Hashable, CaseIterable {
    case composer, conversation, monitor, tree

    /// The key context of the pane.
    package var context: KeyContext {
        switch self {
        case .composer: return .composer
        case .conversation: return .conversation
        case .monitor: return .monitor
        case .tree: return .tree
        }
    }
}

/// A layer drawn over the panes that takes the keys until closed (Esc closes the top one).
package enum Overlay: Sendable, Hashable {
    case help(scroll: Int)
    /// The `/` prompt for the pane it was opened from.
    case search(pane: Pane, query: String)
    /// The transcript at a checkpoint (already rendered to lines of sanitized text).
    case preview(title: String, lines: [String], scroll: Int)
    /// "Fork from … ? (y/n)", with the workspace mode (c/s/w change it; the default preselected).
    case confirmFork(agent: AgentID, checkpoint: Checkpoint?, mode: WorkspaceForkMode)
    /// What a rewind will change (sanitized lines), confirmed with y.
    case confirmRewind(checkpoint: Checkpoint, lines: [String], scroll: Int)
    /// The label for a checkpoint of the current agent (`at` nil: the newest).
    case label(text: String, at: Checkpoint?)
    /// The title for an agent (`/rename`, `rename` in the agents view), prefilled with its title.
    case rename(agent: AgentID, text: String)
    /// Every agent of the store (`/agents`, Ctrl+O).
    case agents(AgentsViewState)
}
