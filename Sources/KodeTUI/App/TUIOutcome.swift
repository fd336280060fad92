import KodeKernel

/// How the app ended and on which agent: the caller decides what becomes of it (release it,
/// or hand it to a host so it keeps running).
public struct TUIOutcome: Sendable {
    /// Why the app ended.
    public enum Reason: Sendable, Equatable {
        /// The person quit (Ctrl+C twice).
        case quit
        /// The person detached (Ctrl+D on an empty composer): the agent should keep running.
        case detach
        /// The terminal hung up (SIGHUP: an SSH connection dropped, the window closed).
        case hangUp
        /// The process was asked to stop (SIGTERM, SIGINT from outside).
        case signal(Int32)
    }

    /// Why the app ended.
    public var reason: Reason
    /// The agent shown last (after `o` or a fork, not the one the app started on), not released.
    public var handle: any AgentHandle

    /// An outcome.
    public init(reason: Reason, handle: any AgentHandle) {
        self.reason = reason
        self.handle = handle
    }
}
