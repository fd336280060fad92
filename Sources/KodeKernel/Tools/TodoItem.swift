/// One entry of the agent's todo list (`todo_read` / `todo_write`).
public struct TodoItem: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case pending
        case inProgress = "in_progress"
        case completed
    }

    public var id: String
    public var title: String
    public var status: Status

    public init(id: String, title: String, status: Status) {
        self.id = id
        self.title = title
        self.status = status
    }
}
