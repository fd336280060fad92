import KodeKernel
import MCP

/// A server's tool behind the kernel's `Tool` protocol: the same permission rules, approvals
/// and schema check as a built-in.
///
/// Never read-only, whatever the server's `readOnlyHint` says: the hint is the server's own
/// claim, and read-only tools run without asking in `approval` mode. A person who trusts a
/// server allows its tools by name (`allow = ["mcp__time__*"]`).
public struct MCPTool: KodeKernel.Tool {
    public let name: String
    public let description: String
    public let inputSchema: JSONValue
    public var isReadOnly: Bool { false }
    /// The tool's own name on its server.
    public let serverToolName: String
    /// The server the tool belongs to.
    public let connection: MCPServerConnection

    init(tool: MCP.Tool, connection: MCPServerConnection) {
        name = MCPToolName.make(server: connection.config.name, tool: tool.name)
        serverToolName = tool.name
        let summary = tool.description ?? tool.title ?? "no description"
        description = "\(summary) (from the MCP server '\(connection.config.name)')"
        // A tool without a usable schema takes any object, as MCP's default says.
        switch JSONValue(tool.inputSchema) {
        case .object(let schema) where !schema.isEmpty: inputSchema = .object(schema)
        default: inputSchema = .object(["type": "object"])
        }
        self.connection = connection
    }

    /// The arguments as compact JSON, so a rule can name a call: `mcp__fs__read({"path":"/etc*)`.
    public func permissionSubject(for input: JSONValue) -> String? {
        input.compactText
    }

    public func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        var arguments: [String: MCP.Value] = [:]
        if case .object(let members) = input { arguments = members.mapValues(MCP.Value.init) }
        do {
            let result = try await connection.call(serverToolName, arguments: arguments)
            return ToolOutput(content: ToolResultText.render(result.content), isError: result.isError, notices: connection.notices.drain())
        } catch {
            return ToolOutput(content: error.description, isError: true, notices: connection.notices.drain())
        }
    }
}
