/// Errors from the agent's public API, each saying what and where.
public enum AgentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No tool call with this id in the agent.
    case unknownCall(String)
    /// No permission rule with this id in the agent.
    case unknownRule(String)
    /// The call was already decided or never needed a decision.
    case notPending(callId: String, state: ToolCallState)
    /// No checkpoint with this id.
    case unknownCheckpoint(String, available: [String])
    /// The agent has no safe fork point yet.
    case noCheckpoint
    /// Empty input.
    case emptyInput
    /// A storage failure made the agent read-only.
    case readOnly(String)
    /// The agent was closed.
    case closed
    /// More than one todo in progress.
    case invalidTodos(String)
    /// The operation needs the agent idle (no turn running, nobody asked).
    case busy(String)
    /// A compaction was asked for, but fewer than two messages could be replaced.
    case nothingToCompact(messages: Int)
    /// The model could not write the compaction's summary.
    case compactionFailed(String)
    /// An "always for this project" rule could not be written (no writer, or the file failed).
    case projectRule(String)
    /// A rename's title was refused (more than one line, too long).
    case invalidTitle(String)

    public var description: String {
        switch self {
        case .unknownCall(let id): return "no tool call '\(id)' in this agent"
        case .unknownRule(let id): return "no rule '\(id)' in this agent"
        case .notPending(let id, let state): return "tool call \(id) is not pending (it is \(state.rawValue))"
        case .unknownCheckpoint(let id, let available):
            let list = available.suffix(5).joined(separator: ", ")
            return "no checkpoint '\(id)' (newest: \(list.isEmpty ? "none" : list))"
        case .noCheckpoint: return "the agent has no safe fork point yet (send a message first)"
        case .emptyInput: return "input is empty"
        case .readOnly(let reason): return "the agent is read-only: \(reason)"
        case .closed: return "the agent is closed"
        case .invalidTodos(let reason): return reason
        case .busy(let reason): return "the agent is busy: \(reason)"
        case .nothingToCompact(let count):
            return "nothing to compact: of \(count) message\(count == 1 ? "" : "s"), fewer than two are older than what is kept as it is"
        case .compactionFailed(let reason): return "compaction failed: \(reason)"
        case .projectRule(let reason): return reason
        case .invalidTitle(let reason): return reason
        }
    }
}
