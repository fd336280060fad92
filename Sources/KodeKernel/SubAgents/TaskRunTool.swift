import Foundation

/// `task_run {task, template?, tools?, model?}`: hands a task to a child agent and returns the
/// child's final answer as the result.
///
/// The child is an agent of its own in the same store, linked to the caller by
/// ``AgentManifest/spawnedBy``; it runs with the caller's sandbox and at most the caller's tools,
/// made from a template or the caller's configuration, and its approval requests reach the
/// caller's Control channel. The call's link to its child is durable before the child exists, so
/// a caller resumed after a crash re-attaches to the same child (or re-creates it under the same
/// id when the child had not made itself durable yet: that happens with its first effect, see
/// docs/MULTI-AGENT.md).
public struct TaskRunTool: Tool {
    /// The name the model calls it by.
    public static let toolName = "task_run"

    /// How children are made.
    public let settings: SubAgentSettings

    /// A `task_run` with `settings` (the depth limit, templates and models for children).
    public init(settings: SubAgentSettings = SubAgentSettings()) {
        self.settings = settings
    }

    public var name: String { Self.toolName }
    public var description: String {
        "Delegate a self-contained task to a sub-agent and get its final answer back. The sub-agent starts with an empty conversation: say everything it needs in 'task'."
    }
    // A child may write files and run commands through its own tools.
    public var isReadOnly: Bool { false }
    public var inputSchema: JSONValue {
        [
            "type": "object",
            "properties": [
                "task": ["type": "string", "description": "What the sub-agent should do, with all the context it needs."],
                "template": ["type": "string", "description": "A configured agent template to make the sub-agent from."],
                "tools": ["type": "array", "items": ["type": "string"], "description": "The tools the sub-agent may use (a subset of yours)."],
                "model": ["type": "string", "description": "Another model for the sub-agent."],
            ],
            "required": ["task"],
            "additionalProperties": false,
        ]
    }

    public var manual: String? {
        "The sub-agent sees only 'task', not this conversation. It cannot use tools you do not have. Its answer comes back as this tool's result; use it for work that is separable (a search, a review, a focused change)."
    }

    /// Rules match the template name (`task_run(reviewer)`), or `default` for the caller's configuration.
    public func permissionSubject(for input: JSONValue) -> String? {
        input["template"]?.stringValue ?? "default"
    }

    public func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        let request: TaskRequest
        do {
            request = try TaskRequest(input)
        } catch let failure as ToolFailure {
            return .failure(failure.description)
        }
        guard let agent = context.spawner else {
            return .failure("task_run: runs only inside an agent (no agent called this tool)")
        }
        return try await agent.runSubAgent(request, callId: context.callId, settings: settings)
    }
}
