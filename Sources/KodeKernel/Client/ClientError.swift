import Foundation

/// Failures of the client API that are not the agent's or the store's own.
public enum ClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The agent is open in this hub and cannot be removed now.
    case inUse(AgentID)
    /// The host answered with an error (its message says what and where).
    case host(code: String, message: String)
    /// The connection to the host is gone and could not be made again.
    case disconnected(String)
    /// No model could be made for the agent's configuration.
    case provider(String)
    /// The agent is in a turn and the operation waits for it to end.
    case busy(String)

    public var description: String {
        switch self {
        case .inUse(let id): return "agent \(id) is open; close it first"
        case .host(_, let message): return message
        case .disconnected(let reason): return "lost the connection to the host: \(reason)"
        case .provider(let message): return message
        case .busy(let message): return message
        }
    }
}
