import Foundation

/// One MCP server an agent may use, as `[mcp_servers.NAME]` in the configuration describes it.
public struct MCPServerConfig: Sendable, Hashable {
    /// How Kode reaches the server.
    public enum Transport: Sendable, Hashable {
        /// A process Kode starts, speaking newline-delimited JSON-RPC on its stdin and stdout.
        case stdio(command: String, arguments: [String], environment: [String: String])
        /// A server already running, reached over streamable HTTP at `url`.
        case http(url: URL)
    }

    /// The server's name: the middle part of its tools' names (`mcp__NAME__tool`).
    public var name: String
    public var transport: Transport
    /// When set, only these tools (by the server's names) are offered to the model.
    public var includedTools: [String]?
    /// Tools never offered, whatever `includedTools` says.
    public var excludedTools: [String]
    /// How long starting the server and listing its tools may take.
    public var startupTimeout: Duration
    /// How long one tool call may take before the server counts as hung and is restarted.
    public var callTimeout: Duration

    /// A server configuration. Names must be letters, digits, `-` and `_` (they become part of
    /// tool names, which model vendors restrict).
    public init(
        name: String,
        transport: Transport,
        includedTools: [String]? = nil,
        excludedTools: [String] = [],
        startupTimeout: Duration = .seconds(20),
        callTimeout: Duration = .seconds(60)
    ) {
        self.name = name
        self.transport = transport
        self.includedTools = includedTools
        self.excludedTools = excludedTools
        self.startupTimeout = startupTimeout
        self.callTimeout = callTimeout
    }

    /// Whether the server's tool `tool` is offered to the model.
    public func offers(_ tool: String) -> Bool {
        if excludedTools.contains(tool) { return false }
        return includedTools.map { $0.contains(tool) } ?? true
    }
}
