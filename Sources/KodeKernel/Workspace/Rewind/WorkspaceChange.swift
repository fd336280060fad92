import Foundation

/// One path a restore changes, for the summary shown before a rewind and the app's preview.
public struct WorkspaceChange: Sendable, Hashable, Codable {
    public enum Action: String, Sendable, Hashable, Codable {
        /// The path does not exist now and will be created.
        case create
        /// A file's contents (or a link's target) will be replaced.
        case modify
        /// The path exists now and will be removed.
        case delete
        /// Only the permission bits change.
        case mode
        /// A file becomes a directory, a link a file, and so on.
        case kind
    }

    public var path: String
    public var action: Action

    public init(path: String, action: Action) {
        self.path = path
        self.action = action
    }
}

/// Workspace failures, each saying what and where.
public enum WorkspaceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Snapshots are off for this agent or its store keeps no files.
    case disabled(AgentID)
    /// The checkpoint predates workspace snapshots (or they were off then).
    case noSnapshot(checkpoint: String)
    /// The agent is doing something a rewind must not interleave with.
    case busy(String)
    /// A file operation failed.
    case io(WorkspaceIOError)
    /// A restore would leave the work directory (a bad name in a tree, or a symlinked parent).
    case outsideWorkDir(String)
    /// `--workspace worktree` on a directory git does not know.
    case notAGitRepository(String)
    /// A fork's target directory already holds files.
    case directoryNotEmpty(String)
    /// `git` failed.
    case git(String)

    public var description: String {
        switch self {
        case .disabled(let id): return "agent \(id) records no workspace snapshots (turned off, or its store is not a file store)"
        case .noSnapshot(let checkpoint): return "checkpoint \(checkpoint) has no workspace snapshot (it was recorded before snapshots were on); rewind only its conversation with --conversation"
        case .busy(let why): return why
        case .io(let error): return error.description
        case .outsideWorkDir(let path): return "refusing to restore \(path): it is outside the work directory"
        case .notAGitRepository(let path): return "\(path) is not inside a git repository: use --workspace copy or shared"
        case .directoryNotEmpty(let path): return "\(path) exists and is not empty: a fork's workspace must be a new directory"
        case .git(let message): return "git failed: \(message)"
        }
    }
}
