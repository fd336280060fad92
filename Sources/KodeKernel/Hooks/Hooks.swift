import Foundation

/// What a `preToolUse` hook decides.
public enum PreToolUseDecision: Sendable, Hashable {
    /// No opinion: the permission policy decides.
    case proceed
    /// Run without asking.
    case allow
    /// Refuse with this reason (the model sees it).
    case deny(String)
    /// Ask a person, with this reason.
    case ask(String)
    /// Do not run the tool; use this result instead.
    case answer(ToolOutput)
}

/// A tool call as hooks see it.
public struct HookToolCall: Sendable, Hashable {
    public var agentId: AgentID
    public var callId: String
    public var name: String
    public var input: JSONValue
    public init(agentId: AgentID, callId: String, name: String, input: JSONValue) {
        self.agentId = agentId
        self.callId = callId
        self.name = name
        self.input = input
    }
}

/// Code that runs around tool calls and model calls (DESIGN §5). Every hook is optional.
public struct Hooks: Sendable {
    /// Before permission is evaluated: allow, deny, ask, or answer with a result.
    public var preToolUse: (@Sendable (HookToolCall) async -> PreToolUseDecision)?
    /// After a tool ran: may rewrite its result.
    public var postToolUse: (@Sendable (HookToolCall, ToolOutput) async -> ToolOutput)?
    /// Before each model call: may rewrite the request.
    public var preModel: (@Sendable (ModelRequest) async -> ModelRequest)?
    /// After each complete assistant message: may rewrite it before it is committed.
    public var postModel: (@Sendable (Message) async -> Message)?
    /// Called synchronously as the agent enters a breakpoint, before that is durable: for
    /// tracing, and for the crash tests' fault injection (kill the process right there).
    public var breakpoint: (@Sendable (Breakpoint) -> Void)?

    public init(
        preToolUse: (@Sendable (HookToolCall) async -> PreToolUseDecision)? = nil,
        postToolUse: (@Sendable (HookToolCall, ToolOutput) async -> ToolOutput)? = nil,
        preModel: (@Sendable (ModelRequest) async -> ModelRequest)? = nil,
        postModel: (@Sendable (Message) async -> Message)? = nil,
        breakpoint: (@Sendable (Breakpoint) -> Void)? = nil
    ) {
        self.preToolUse = preToolUse
        self.postToolUse = postToolUse
        self.preModel = preModel
        self.postModel = postModel
        self.breakpoint = breakpoint
    }
}
