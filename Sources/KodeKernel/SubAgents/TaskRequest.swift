import Foundation

/// One `task_run` call's input, read and checked.
struct TaskRequest: Sendable, Hashable {
    /// What the child is asked to do (its first user message).
    var task: String
    /// `[templates.NAME]` to make the child from; nil for the parent's configuration.
    var template: String?
    /// The tools the child may call; nil for the template's (or the parent's).
    var tools: [String]?
    /// Another model of the same provider; nil for the template's (or the parent's).
    var model: String?

    init(_ input: JSONValue) throws {
        let reader = ToolInputReader(input: input, tool: "task_run")
        task = try reader.string("task")
        template = try reader.optionalString("template")
        model = try reader.optionalString("model")
        if let list = input["tools"] {
            guard let items = list.arrayValue else { throw ToolFailure("task_run: 'tools' must be a list of tool names") }
            tools = try items.map {
                guard let name = $0.stringValue else { throw ToolFailure("task_run: 'tools' must be a list of tool names") }
                return name
            }
        }
        if task.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ToolFailure("task_run: 'task' is empty; say what the sub-agent should do")
        }
    }
}
