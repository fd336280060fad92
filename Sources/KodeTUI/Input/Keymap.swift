/// The key bindings: defaults, overridable per command from `[keys]` in config.toml.
package struct Keymap: Sendable {
    /// Every binding, in help-overlay order.
    package private(set) var bindings: [Binding]
    private var lookup: [KeyContext: [Key: Command]] = [:]

    /// The default bindings.
    package static let defaults: [Binding] = {
        func b(_ c: KeyContext, _ cmd: Command, _ keys: [Key], _ help: String) -> Binding {
            Binding(context: c, command: cmd, keys: keys, help: help)
        }
        return [
            b(.global, .interrupt, [.ctrl("c")], "interrupt the turn; twice within 1.5 s quits"),
            b(.global, .redraw, [.ctrl("l")], "redraw the screen"),
            b(.global, .focusNext, [.tab], "focus the next pane"),
            b(.global, .focusPrev, [.backTab], "focus the previous pane"),
            b(.global, .help, [.function(1), .char("?")], "this help (? outside the composer)"),
            b(.global, .focusTree, [.ctrl("t")], "focus the checkpoint tree"),
            b(.global, .suspend, [.ctrl("z")], "suspend to the shell (fg resumes)"),
            b(.global, .continueTurn, [.ctrl("r")], "continue an interrupted turn"),
            b(.global, .detach, [.ctrl("d")], "detach (empty composer): the agent keeps running"),
            b(.global, .cancel, [.esc], "interrupt a running turn, else focus the composer"),
            b(.global, .agents, [.ctrl("o")], "the agents view: every agent of the store"),
            b(.composer, .submit, [.enter], "send (queued while the agent works)"),
            b(.composer, .newline, [.ctrl("j")], "new line"),
            b(.composer, .editor, [.ctrl("g")], "edit in $EDITOR"),
            b(.composer, .lineStart, [.ctrl("a"), .home], "start of line"),
            b(.composer, .lineEnd, [.ctrl("e"), .end], "end of line"),
            b(.composer, .deleteWord, [.ctrl("w")], "delete the word before the cursor"),
            b(.composer, .killToStart, [.ctrl("u")], "delete to the start of the line"),
            b(.composer, .killToEnd, [.ctrl("k")], "delete to the end of the line"),
            b(.composer, .historyPrev, [.up], "previous input (at the first line)"),
            b(.composer, .historyNext, [.down], "next input (at the last line)"),
            b(.composer, .complete, [.tab], "complete a slash command (else: focus the next pane)"),
            b(.conversation, .scrollUp, [.char("k"), .up], "select / scroll up"),
            b(.conversation, .scrollDown, [.char("j"), .down], "select / scroll down"),
            b(.conversation, .pageUp, [.pageUp, .ctrl("b")], "page up (pauses follow)"),
            b(.conversation, .pageDown, [.pageDown, .ctrl("f")], "page down"),
            b(.conversation, .top, [.char("g")], "go to the top"),
            b(.conversation, .follow, [.char("G"), .end], "follow the newest output"),
            b(.conversation, .toggleExpand, [.enter], "expand or collapse a tool call or thinking"),
            b(.conversation, .search, [.char("/")], "search"),
            b(.conversation, .searchNext, [.char("n")], "next match"),
            b(.conversation, .searchPrev, [.char("N")], "previous match"),
            b(.conversation, .copy, [.char("y")], "copy the selected entry (or the newest reply) to the clipboard"),
            b(.conversation, .copyCode, [.char("Y")], "copy the newest code block to the clipboard"),
            b(.monitor, .scrollUp, [.char("k"), .up], "scroll up (pauses follow)"),
            b(.monitor, .scrollDown, [.char("j"), .down], "scroll down"),
            b(.monitor, .follow, [.char("G"), .end], "follow the tail"),
            b(.monitor, .filterNext, [.char("l"), .right], "next filter tab"),
            b(.monitor, .filterPrev, [.char("h"), .left], "previous filter tab"),
            b(.monitor, .search, [.char("/")], "search"),
            b(.monitor, .searchNext, [.char("n")], "next match"),
            b(.monitor, .searchPrev, [.char("N")], "previous match"),
            b(.monitor, .wrap, [.char("w")], "wrap long entries (again: cut them at the edge)"),
            b(.tree, .treeDown, [.char("j"), .down], "move down"),
            b(.tree, .treeUp, [.char("k"), .up], "move up"),
            b(.tree, .collapse, [.char("h"), .left], "collapse"),
            b(.tree, .expand, [.char("l"), .right], "expand"),
            b(.tree, .preview, [.char("p")], "preview the transcript at this point and the file changes since"),
            b(.tree, .label, [.char("c")], "label the selected checkpoint (an agent row: its newest)"),
            b(.tree, .fork, [.enter], "fork from here (confirm with y) and switch to the child"),
            b(.tree, .open, [.char("o")], "open the selected agent"),
            b(.tree, .rewind, [.char("r")], "rewind the open agent's files and conversation to this checkpoint (shows what changes; y confirms)"),
            b(.approval, .approve, [.char("y")], "approve once"),
            b(.approval, .approveAlways, [.char("a")], "approve always for this agent (rule shown)"),
            b(.approval, .deny, [.char("n")], "deny, then an optional note for the agent"),
            b(.approval, .denyAlways, [.char("d")], "deny always for this agent (a deny rule; the modal shows it)"),
            b(.approval, .approveProject, [.char("p")], "approve always for this project (written to .kode/config.toml)"),
            b(.approval, .denyProject, [.char("D")], "deny always for this project (written to .kode/config.toml)"),
            b(.approval, .expandInput, [.char("e")], "expand the full input"),
            b(.approval, .prevApproval, [.char("[")], "previous request in the queue"),
            b(.approval, .nextApproval, [.char("]")], "next request in the queue"),
            b(.approval, .cancel, [.esc], "hide the full input; drop a note being written"),
            b(.approval, .scrollUp, [.up], "scroll the full input up"),
            b(.approval, .scrollDown, [.down], "scroll the full input down"),
            b(.approval, .pageUp, [.pageUp], "page the full input up"),
            b(.approval, .pageDown, [.pageDown], "page the full input down"),
            b(.overlay, .scrollUp, [.char("k"), .up], "scroll up"),
            b(.overlay, .scrollDown, [.char("j"), .down], "scroll down"),
            b(.overlay, .pageUp, [.pageUp], "page up"),
            b(.overlay, .pageDown, [.pageDown], "page down"),
            b(.overlay, .close, [.esc, .char("q")], "close (any other key closes too)"),
            b(.agents, .scrollUp, [.up, .ctrl("p")], "select the previous agent"),
            b(.agents, .scrollDown, [.down, .ctrl("n")], "select the next agent"),
            b(.agents, .pageUp, [.pageUp], "a page up"),
            b(.agents, .pageDown, [.pageDown], "a page down"),
            b(.agents, .open, [.enter], "switch to the selected agent (the one left keeps running)"),
            b(.agents, .newAgent, [.ctrl("a")], "a new agent with this agent's settings"),
            b(.agents, .rename, [.ctrl("r")], "rename the selected agent (its title, kept in its log)"),
            b(.agents, .close, [.esc], "close the view; typing filters the list"),
            b(.confirm, .confirm, [.char("y"), .char("Y")], "fork, or rewind; any other key cancels"),
            b(.confirm, .forkCopy, [.char("c")], "fork into a copy of the checkpoint's files (docs/WORKSPACE.md)"),
            b(.confirm, .forkShared, [.char("s")], "fork sharing the parent's work directory"),
            b(.confirm, .forkWorktree, [.char("w")], "fork into a git worktree"),
            b(.prompt, .apply, [.enter], "apply (search, save the label or the title)"),
            b(.prompt, .cancel, [.esc], "cancel"),
        ]
    }()

    /// The defaults with `overrides` (command → keys) applied.
    package init(overrides: [Command: [Key]] = [:]) {
        var list = Keymap.defaults
        for i in list.indices {
            if let keys = overrides[list[i].command] { list[i].keys = keys }
        }
        bindings = list
        for binding in list {
            for key in binding.keys { lookup[binding.context, default: [:]][key] = binding.command }
        }
    }

    /// The command `key` means in `context` (falling back to the global bindings).
    package func command(for key: Key, in context: KeyContext) -> Command? {
        if let c = lookup[context]?[key] { return c }
        // The modal captures the keys: its unbound keys do nothing rather than reach global commands.
        if context == .approval { return nil }
        return lookup[.global]?[key]
    }

    /// The command `key` means in `context` itself, without the global fallback.
    package func contextCommand(for key: Key, in context: KeyContext) -> Command? { lookup[context]?[key] }

    /// Only the global command for `key`.
    package func globalCommand(for key: Key) -> Command? { lookup[.global]?[key] }

    /// The first key bound to `command` in `context`, for short hints (`G`).
    package func key(for command: Command, in context: KeyContext) -> String {
        bindings.first { $0.command == command && $0.context == context }?.keys.first?.description ?? ""
    }

    /// The keys bound to `command` in `context`, spelled for display (`ctrl+c/esc`).
    package func keys(for command: Command, in context: KeyContext) -> String {
        bindings.first { $0.command == command && $0.context == context }?.keys.map(\.description).joined(separator: "/") ?? ""
    }
}
