/// Why talking to a server's process failed.
public enum MCPTransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The server closed its end or exited.
    case closed
    /// Writing to the server failed for another reason.
    case writeFailed(String)
    /// The server could not be started.
    case launchFailed(String)

    public var description: String {
        switch self {
        case .closed: "the server closed the connection"
        case .writeFailed(let reason): "writing to the server failed: \(reason)"
        case .launchFailed(let reason): "the server could not be started: \(reason)"
        }
    }
}
