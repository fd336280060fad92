// The built-in tools' usage notes (`Tool.manual`): what a model needs to use each well beyond
// its one-line description. They join the system prompt under "Tool notes"; kept apart from
// the tools' code so a note can change without touching how the tool runs.

extension BashRunTool {
    public var manual: String? {
        """
        - Prefer the fs_* tools for reading, searching and editing files: they are faster, \
        need no approval in approval mode, and keep file contents out of shell quoting.
        - Each call runs in a fresh shell: a `cd` or an exported variable does not carry over. \
        Chain commands with && instead.
        - A command that does not end by itself (a server, a watcher) must run with background: \
        true; read it with bash_logs and stop it with bash_kill.
        - A write outside the working directory or a network connection failing with \
        "Permission denied" is the sandbox: do not retry it another way; ask with sandbox and a \
        reason if it is really needed.
        """
    }
}

extension FsEditTool {
    public var manual: String? {
        """
        - Read the file first and copy old_string exactly, indentation included; include enough \
        surrounding lines that it occurs once.
        - For several changes in one file, make them one call at a time from top to bottom, or \
        rewrite the file with fs_write when most of it changes.
        """
    }
}

extension FsWriteTool {
    public var manual: String? {
        "- Writes the whole file: read an existing file first so nothing you did not mean to change is lost."
    }
}

extension TodoWriteTool {
    public var manual: String? {
        """
        - For work of three steps or more, write the plan as todos first, mark one in_progress \
        while doing it and completed as soon as it is done; the person watches this list.
        """
    }
}
