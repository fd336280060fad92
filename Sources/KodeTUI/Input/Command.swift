/// Where a key binding applies. Bindings of the focused context win over global ones.
package enum KeyContext: String, Sendable, Hashable, CaseIterable {
    case global, composer, conversation, monitor, tree, approval
    /// The help and preview overlays (scrolling); the agents view; the fork and rewind confirmations; the
    /// one-line prompts (search, label).
    case overlay, agents, confirm, prompt

    /// The heading the help overlay shows.
    package var title: String {
        switch self {
        case .global: return "Anywhere"
        case .composer: return "Composer"
        case .conversation: return "Conversation"
        case .monitor: return "Monitor"
        case .tree: return "Checkpoint tree"
        case .approval: return "Approval"
        case .overlay: return "Help and preview"
        case .agents: return "Agents view"
        case .confirm: return "Fork and rewind confirmation"
        case .prompt: return "Prompts"
        }
    }
}

/// Everything a key can do. The raw value is the name used in `[keys]` of config.toml.
package enum Command: String, Sendable, Hashable, CaseIterable {
    // Global
    case interrupt, redraw, focusNext = "focus_next", focusPrev = "focus_prev", help
    case focusTree = "focus_tree", suspend, continueTurn = "continue", detach
    case cancel, agents
    // Scrollable panes
    case scrollUp = "scroll_up", scrollDown = "scroll_down", pageUp = "page_up", pageDown = "page_down"
    case top, follow, search, searchNext = "search_next", searchPrev = "search_prev", toggleExpand = "toggle_expand"
    case filterNext = "filter_next", filterPrev = "filter_prev", wrap
    // Composer
    case submit, newline, editor, lineStart = "line_start", lineEnd = "line_end"
    case deleteWord = "delete_word", killToStart = "kill_to_start", killToEnd = "kill_to_end"
    case historyPrev = "history_prev", historyNext = "history_next", complete
    // Conversation
    case copy, copyCode = "copy_code"
    // Overlays, prompts, the agents view
    case close, confirm, apply, newAgent = "new_agent", rename
    // Approval modal
    case approve, approveAlways = "approve_always", deny, denyAlways = "deny_always", expandInput = "expand_input"
    case approveProject = "approve_project", denyProject = "deny_project"
    case prevApproval = "prev_approval", nextApproval = "next_approval"
    // Checkpoint tree
    case treeDown = "tree_down", treeUp = "tree_up", collapse, expand, preview, label, fork, open, rewind
    // Fork confirmation: the workspace mode
    case forkCopy = "fork_copy", forkShared = "fork_shared", forkWorktree = "fork_worktree"
}

/// One row of the keymap table: the help overlay is generated from these.
package struct Binding: Sendable, Hashable {
    package var context: KeyContext
    package var command: Command
    package var keys: [Key]
    package var help: String
}
