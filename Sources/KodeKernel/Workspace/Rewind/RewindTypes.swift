import Foundation

/// What a rewind will do, shown before it is confirmed.
public struct RewindPlan: Sendable, Hashable {
    /// The checkpoint rewound to.
    public var checkpoint: Checkpoint
    public var files: Bool
    public var conversation: Bool
    /// Paths the work directory changes (empty when files are not rewound).
    public var changes: [WorkspaceChange]
    /// Messages in the conversation now and after the rewind.
    public var messagesNow: Int
    public var messagesAfter: Int
    /// Paths left alone because the checkpoint did not capture them.
    public var notCaptured: [WorkspaceNotCaptured]

    public init(checkpoint: Checkpoint, files: Bool, conversation: Bool, changes: [WorkspaceChange], messagesNow: Int, messagesAfter: Int, notCaptured: [WorkspaceNotCaptured]) {
        self.checkpoint = checkpoint
        self.files = files
        self.conversation = conversation
        self.changes = changes
        self.messagesNow = messagesNow
        self.messagesAfter = messagesAfter
        self.notCaptured = notCaptured
    }
}

/// The durable steps of a rewind, reported as each completes (the crash tests kill the process
/// at each one).
public enum RewindStep: Sendable, Hashable {
    /// The present is recorded as a checkpoint: the rewind can be undone from here on.
    case recordedBefore
    /// The intent record is durable: a crash from here on is finished on the next open.
    case intentDurable
    /// The n-th change of the plan was applied.
    case changed(Int)
    /// The completion record is durable.
    case done
}

/// What a finished rewind did.
public struct RewindOutcome: Sendable, Hashable {
    public var plan: RewindPlan
    /// The checkpoint recorded before anything changed: rewind to it to undo this rewind.
    public var before: Checkpoint
    /// Directories that stayed because they hold files no snapshot covers.
    public var keptDirectories: [String]
}
