import Foundation

/// Where a forked child works (`kode fork --workspace`).
public enum WorkspaceForkMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// The checkpoint's files materialized into a new directory of the child's own (the default).
    case copy
    /// The parent's work directory, as before workspaces existed: both agents edit the same files.
    case shared
    /// A `git worktree` of the parent's repository at HEAD, with the checkpoint's uncommitted
    /// state applied on top.
    case worktree
}
