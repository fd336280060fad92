/// A server that could not be used, in words for the model and the person.
public struct MCPServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The server's configured name.
    public var server: String
    /// What went wrong.
    public var reason: String

    public init(server: String, reason: String) {
        self.server = server
        self.reason = reason
    }

    public var description: String { "MCP server '\(server)': \(reason)" }
}
