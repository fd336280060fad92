import Foundation

extension Agent {
    /// Replaces the todo list (from `todo_write`); at most one item may be in progress.
    func replaceTodos(_ todos: [TodoItem]) async throws {
        let inProgress = todos.filter { $0.status == .inProgress }
        if inProgress.count > 1 {
            throw AgentError.invalidTodos("at most one todo may be in_progress; got \(inProgress.count): \(inProgress.map(\.id).joined(separator: ", "))")
        }
        emit(.todoChanged(TodoChangedEvent(todos: todos)))
        try await commit(.durable)
    }
}

/// The agent's todo list as tools see it.
struct AgentTodoBoard: TodoBoard {
    weak var agent: Agent?

    func todos() async -> [TodoItem] {
        await agent?.snapshot().todos ?? []
    }

    func replace(with todos: [TodoItem]) async throws {
        guard let agent else { throw AgentError.closed }
        try await agent.replaceTodos(todos)
    }
}
