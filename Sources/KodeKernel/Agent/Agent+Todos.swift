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

    /// The todo list alone. Handing out the whole state instead would share the conversation's
    /// storage, and the next message appended would then copy all of it.
    func currentTodos() -> [TodoItem] { state.todos }
}

/// The agent's todo list as tools see it.
struct AgentTodoBoard: TodoBoard {
    weak var agent: Agent?

    func todos() async -> [TodoItem] {
        await agent?.currentTodos() ?? []
    }

    func replace(with todos: [TodoItem]) async throws {
        guard let agent else { throw AgentError.closed }
        try await agent.replaceTodos(todos)
    }
}
