/// `todo_write {todos: [{id, title, status}]}`: replaces the agent's todo list.
/// At most one item may be `in_progress`, and ids must be unique.
public struct TodoWriteTool: Tool {
    /// Creates the tool; it keeps no state of its own (the sandbox and todo board come with each call).
    public init() {}

    public var name: String { "todo_write" }
    public var description: String {
        "Replace the todo list. Each item has id, title and status (pending, in_progress or completed); at most one may be in_progress."
    }
    /// It changes only the agent's own todo list, never the workspace, so it runs without asking.
    public var isReadOnly: Bool { true }
    public var inputSchema: JSONValue {
        [
            "type": "object",
            "properties": [
                "todos": [
                    "type": "array",
                    "items": [
                        "type": "object",
                        "properties": [
                            "id": ["type": "string", "minLength": 1],
                            "title": ["type": "string", "minLength": 1],
                            "status": ["type": "string", "enum": .array(TodoItem.Status.allCases.map { .string($0.rawValue) })],
                        ],
                        "required": ["id", "title", "status"],
                        "additionalProperties": false,
                    ],
                ],
            ],
            "required": ["todos"],
            "additionalProperties": false,
        ]
    }

    public func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        try await runReportingFailures {
            try JSONSchema.validate(input, against: inputSchema)
            let todos = (input["todos"]?.arrayValue ?? []).compactMap { item -> TodoItem? in
                guard let id = item["id"]?.stringValue, let title = item["title"]?.stringValue,
                      let status = item["status"]?.stringValue.flatMap(TodoItem.Status.init(rawValue:)) else { return nil }
                return TodoItem(id: id, title: title, status: status)
            }
            let active = todos.filter { $0.status == .inProgress }
            if active.count > 1 {
                throw ToolFailure("at most one todo may be in_progress, but \(active.count) are: \(active.map(\.id).joined(separator: ", ")); mark the others pending or completed")
            }
            var seen = Set<String>()
            if let duplicate = todos.first(where: { !seen.insert($0.id).inserted }) {
                throw ToolFailure("todo id \"\(duplicate.id)\" is used more than once; ids must be unique")
            }
            do {
                try await context.todos.replace(with: todos)
            } catch {
                throw ToolFailure("the todo list was not changed: \(error)")
            }
            return ToolOutput(content: "todo list updated:\n" + TodoListText.render(todos))
        }
    }
}
