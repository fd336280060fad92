import KodeKernel

/// The payload of one event case, or nil for any other case, so a test that waited for an
/// event can unwrap it with `try #require(envelope.event.permissionRequiredEvent)`.
extension AgentEvent {
    public var permissionRequiredEvent: PermissionRequiredEvent? {
        if case .permissionRequired(let event) = self { event } else { nil }
    }

    public var toolErrorEvent: ToolErrorEvent? {
        if case .toolError(let event) = self { event } else { nil }
    }

    public var errorEvent: ErrorEvent? {
        if case .error(let event) = self { event } else { nil }
    }

    public var doneEvent: DoneEvent? {
        if case .done(let event) = self { event } else { nil }
    }

    public var agentResumedEvent: AgentResumedEvent? {
        if case .agentResumed(let event) = self { event } else { nil }
    }
}
