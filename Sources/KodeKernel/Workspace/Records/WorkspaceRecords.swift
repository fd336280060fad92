import Foundation

/// A path a snapshot saw but did not capture, and why (too large, unreadable, special file).
public struct WorkspaceNotCaptured: Sendable, Hashable, Codable {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

/// The log record of one workspace snapshot: the work directory's tree at this point of the log.
/// The checkpoint that follows it (the next safe fork point) means these files. Every blob the
/// tree needs is durable before this record is appended.
public struct WorkspaceSnapshotRecord: Sendable, Hashable, Codable {
    /// The root tree object (see docs/WORKSPACE.md).
    public var tree: String
    /// The directory captured (absolute).
    public var workDir: String
    /// Files captured and their total size.
    public var files: Int
    public var bytes: Int64
    /// Paths added, changed or removed since the previous snapshot, and the first of them.
    public var changed: Int
    public var changedPaths: [String]
    /// What was seen but not captured (at most ``Self/listLimit`` listed), and how many paths
    /// `.gitignore` or `exclude` skipped.
    public var notCaptured: [WorkspaceNotCaptured]
    public var notCapturedCount: Int
    public var ignored: Int
    /// Bytes of blobs this snapshot added to the store (what it cost).
    public var bytesAdded: Int64

    /// How many changed and not-captured paths a record lists by name.
    public static let listLimit = 50

    public init(tree: String, workDir: String, files: Int, bytes: Int64, changed: Int, changedPaths: [String],
                notCaptured: [WorkspaceNotCaptured], notCapturedCount: Int, ignored: Int, bytesAdded: Int64) {
        self.tree = tree
        self.workDir = workDir
        self.files = files
        self.bytes = bytes
        self.changed = changed
        self.changedPaths = changedPaths
        self.notCaptured = notCaptured
        self.notCapturedCount = notCapturedCount
        self.ignored = ignored
        self.bytesAdded = bytesAdded
    }
}

/// A rewind's two durable marks: `intent` before the first file changes, `done` after the last.
/// An `intent` without its `done` is a rewind interrupted by a crash: the next open finishes it
/// (restoring is idempotent: it converges on the target tree from any partial state).
public struct RewindRecord: Sendable, Hashable, Codable {
    public enum Phase: String, Sendable, Hashable, Codable {
        case intent
        case done
    }

    public var id: String
    public var phase: Phase
    /// The checkpoint rewound to, and the one recorded just before (to undo the rewind).
    public var toCheckpoint: String
    public var beforeCheckpoint: String
    /// The tree being restored, when files are rewound.
    public var targetTree: String?
    public var workDir: String
    public var files: Bool
    public var conversation: Bool

    public init(id: String, phase: Phase, toCheckpoint: String, beforeCheckpoint: String, targetTree: String?, workDir: String, files: Bool, conversation: Bool) {
        self.id = id
        self.phase = phase
        self.toCheckpoint = toCheckpoint
        self.beforeCheckpoint = beforeCheckpoint
        self.targetTree = targetTree
        self.workDir = workDir
        self.files = files
        self.conversation = conversation
    }
}

/// The conversation put back as it was at a checkpoint. The log stays append-only: this record
/// carries the conversation to continue from; the records before it (and every checkpoint)
/// stay, so the rewind can itself be rewound.
public struct ConversationRewind: Sendable, Hashable, Codable {
    public var toCheckpoint: String
    public var messages: [Message]
    /// Records of the tool calls those messages hold.
    public var toolCalls: [ToolCallRecord]
    public var todos: [TodoItem]

    public init(toCheckpoint: String, messages: [Message], toolCalls: [ToolCallRecord], todos: [TodoItem]) {
        self.toCheckpoint = toCheckpoint
        self.messages = messages
        self.toolCalls = toolCalls
        self.todos = todos
    }
}
