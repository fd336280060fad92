/// What a server connection reports for the Monitor. Texts come from the server and are
/// untrusted: whoever shows them sanitizes them first.
public enum MCPServerEvent: Sendable, Hashable {
    /// The server started and offered this many tools.
    case started(tools: Int)
    /// A line the server wrote to stderr.
    case stderr(String)
    /// The server failed (did not start, crashed, hung or broke the protocol); it is started
    /// again on the next call, after `retryIn`.
    case failed(reason: String, retryIn: Duration)
}
