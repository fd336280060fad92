import Foundation

/// A tool the model can call. Built-ins and custom tools implement this one protocol.
///
/// The agent validates the input against `inputSchema` before `run` is called, evaluates
/// permissions using `isReadOnly` and `permissionSubject(for:)`, and turns thrown errors into a
/// failed result the model can read.
public protocol Tool: Sendable {
    /// The name the model calls it by, e.g. `fs_read`.
    var name: String { get }
    /// One or two sentences for the model.
    var description: String { get }
    /// A JSON Schema (the subset in docs/PERMISSIONS-AND-TOOLS.md) for the input object.
    var inputSchema: JSONValue { get }
    /// Read-only tools run without asking in `approval` mode and are the only ones allowed in `readonly`.
    var isReadOnly: Bool { get }
    /// The argument that permission patterns match, e.g. the command of `bash_run` or the path
    /// of `fs_write`. `nil` when patterns may only name the tool.
    func permissionSubject(for input: JSONValue) -> String?
    /// What this call asks for beyond the sandbox (for example `bash_run` with `sandbox: "full"`),
    /// in words for the person asked; nil when nothing. A call that asks for more always needs a
    /// person's approval, whatever the mode, allow rules or hooks say.
    func escalation(for input: JSONValue) -> String?
    /// Runs the call. Must stop promptly (and kill any process it started) when the task is cancelled.
    func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput
    /// Usage notes for the model beyond `description` (how to use it well, what it refuses),
    /// joined to the system prompt under the tool's name; nil for none.
    var manual: String? { get }
}

extension Tool {
    public var manual: String? { nil }
    public func permissionSubject(for input: JSONValue) -> String? { nil }
    public func escalation(for input: JSONValue) -> String? { nil }

    /// The definition sent to model providers.
    public var definition: ToolDefinition {
        ToolDefinition(name: name, description: description, inputSchema: inputSchema)
    }
}

/// A change a tool made to a file, reported on the Monitor channel as `file_changed`.
public struct FileChange: Sendable, Hashable, Codable {
    public enum Action: String, Sendable, Hashable, Codable {
        case created, modified, deleted
    }

    public var path: String
    public var action: Action

    public init(path: String, action: Action) {
        self.path = path
        self.action = action
    }
}

/// What a tool returns: text for the model, an error flag, and side information for the runtime.
public struct ToolOutput: Sendable, Hashable {
    public var content: String
    public var isError: Bool
    public var fileChanges: [FileChange]
    /// Lines for the Monitor (not for the model).
    public var notices: [ToolNotice]

    public init(content: String, isError: Bool = false, fileChanges: [FileChange] = [], notices: [ToolNotice] = []) {
        self.content = content
        self.isError = isError
        self.fileChanges = fileChanges
        self.notices = notices
    }

    /// A failed result with `message` as its text.
    public static func failure(_ message: String) -> ToolOutput {
        ToolOutput(content: message, isError: true)
    }
}

/// What a running tool may use: where it is, whom it belongs to, the agent's todo list and what
/// the agent knows about the files it read and wrote.
public struct ToolContext: Sendable {
    public let agentId: AgentID
    public let callId: String
    public let sandbox: any Sandbox
    public let todos: any TodoBoard
    /// The agent's file awareness; nil outside an agent (nothing is checked or remembered).
    public let files: FileAwareness?
    /// The agent running the call, for the kernel's own tools that act on it (`task_run`).
    var spawner: Agent?

    public init(agentId: AgentID, callId: String, sandbox: any Sandbox, todos: any TodoBoard, files: FileAwareness? = nil) {
        self.agentId = agentId
        self.callId = callId
        self.sandbox = sandbox
        self.todos = todos
        self.files = files
    }
}

/// The agent's todo list as tools see it.
public protocol TodoBoard: Sendable {
    /// The current list.
    func todos() async -> [TodoItem]
    /// Replaces the list; throws when more than one item is `in_progress`.
    func replace(with todos: [TodoItem]) async throws
}
