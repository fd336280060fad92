/// What the operating system lets a `bash_run` command do (docs/PERMISSIONS-AND-TOOLS.md, "The sandbox").
public enum SandboxMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// The command may read everything and write nowhere (but `/dev/null` and its kin).
    case readOnly = "read-only"
    /// The command may write only beneath the working directory, the allowed paths, the extra
    /// writable paths and a private temporary directory. The default.
    case workspaceWrite = "workspace-write"
    /// The command runs with every right of the user, as it would in a terminal.
    case full
}
