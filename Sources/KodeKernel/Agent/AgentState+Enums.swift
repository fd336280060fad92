import Foundation

/// An agent's identifier: `agt_` followed by 16 base-32 characters.
public typealias AgentID = String

/// What the agent is doing at the coarsest level (DESIGN §2).
public enum RuntimeState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Idle; input may be sent.
    case ready = "READY"
    /// Running a turn.
    case working = "WORKING"
    /// Waiting on a person (an approval).
    case paused = "PAUSED"
}

/// The persisted position of the agent inside a step (DESIGN §2). Every change is an event
/// and is durable before the runtime acts on it.
public enum Breakpoint: String, Sendable, Hashable, Codable, CaseIterable {
    case ready = "READY"
    case preModel = "PRE_MODEL"
    case streamingModel = "STREAMING_MODEL"
    case toolPending = "TOOL_PENDING"
    case awaitingApproval = "AWAITING_APPROVAL"
    case preTool = "PRE_TOOL"
    case toolExecuting = "TOOL_EXECUTING"
    case postTool = "POST_TOOL"
    /// The model is writing a summary of the older conversation (a compaction). Nothing of it
    /// is durable until the compaction record is: a crash here leaves the conversation as it was.
    case compacting = "COMPACTING"
}

/// The life of one tool call (DESIGN §2):
/// `PENDING → APPROVAL_REQUIRED → APPROVED | DENIED → EXECUTING → COMPLETED | FAILED | SEALED`.
public enum ToolCallState: String, Sendable, Hashable, Codable, CaseIterable {
    case pending = "PENDING"
    case approvalRequired = "APPROVAL_REQUIRED"
    case approved = "APPROVED"
    case denied = "DENIED"
    case executing = "EXECUTING"
    case completed = "COMPLETED"
    case failed = "FAILED"
    /// The process stopped while the tool ran; its side effects are unknown. Never re-run.
    case sealed = "SEALED"

    /// True once the call has its one and only result.
    public var isFinal: Bool {
        switch self {
        case .denied, .completed, .failed, .sealed: return true
        default: return false
        }
    }
}
