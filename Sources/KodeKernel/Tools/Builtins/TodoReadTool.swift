/// `todo_read {}`: the agent's todo list.
public struct TodoReadTool: Tool {
    /// Creates the tool; it keeps no state of its own (the sandbox and todo board come with each call).
    public init() {}

    public var name: String { "todo_read" }
    public var description: String { "Show the current todo list." }
    public var isReadOnly: Bool { true }
    public var inputSchema: JSONValue {
        ["type": "object", "properties": [:], "additionalProperties": false]
    }

    public func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        ToolOutput(content: TodoListText.render(await context.todos.todos()))
    }
}

/// The todo list as the model reads it.
enum TodoListText {
    static func render(_ todos: [TodoItem]) -> String {
        guard !todos.isEmpty else { return "(the todo list is empty)" }
        return todos.enumerated().map { index, item in
            let mark: String
            switch item.status {
            case .pending: mark = "[ ]"
            case .inProgress: mark = "[>]"
            case .completed: mark = "[x]"
            }
            return "\(index + 1). \(mark) \(item.title) (id: \(item.id), \(item.status.rawValue))"
        }.joined(separator: "\n")
    }
}
