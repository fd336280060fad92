/// The tools an agent offers the model, by name, in registration order.
///
/// Registering a tool whose name is already taken **replaces** the earlier tool in place (same
/// position in `definitions`), so an embedding app can swap a built-in for its own version.
public struct ToolRegistry: Sendable {
    private var tools: [String: any Tool] = [:]
    private var order: [String] = []

    /// A registry holding `tools` (later duplicates replace earlier ones).
    public init(_ tools: [any Tool] = []) {
        for tool in tools { register(tool) }
    }

    /// The eleven built-in tools: `fs_read`, `fs_write`, `fs_edit`, `fs_multi_edit`, `fs_glob`,
    /// `fs_grep`, `bash_run`, `bash_logs`, `bash_kill`, `todo_read`, `todo_write`.
    public static func builtins() -> ToolRegistry {
        ToolRegistry([
            FsReadTool(), FsWriteTool(), FsEditTool(), FsMultiEditTool(), FsGlobTool(), FsGrepTool(),
            BashRunTool(), BashLogsTool(), BashKillTool(), TodoReadTool(), TodoWriteTool(),
        ])
    }

    /// Adds `tool`, or replaces the tool of the same name.
    public mutating func register(_ tool: any Tool) {
        if tools[tool.name] == nil { order.append(tool.name) }
        tools[tool.name] = tool
    }

    /// The tool called `name`, if registered.
    public func tool(named name: String) -> (any Tool)? {
        tools[name]
    }

    /// Definitions for model providers, in registration order.
    public var definitions: [ToolDefinition] {
        order.compactMap { tools[$0]?.definition }
    }

    /// Registered names, in registration order.
    public var names: [String] {
        order
    }
}
