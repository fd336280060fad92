import KodeKernel

extension AgentEvent {
    /// The payload of `subagent_started`, or nil.
    public var subagentStartedEvent: SubAgentStartedEvent? {
        if case .subagentStarted(let event) = self { event } else { nil }
    }

    /// The payload of `subagent_finished`, or nil.
    public var subagentFinishedEvent: SubAgentFinishedEvent? {
        if case .subagentFinished(let event) = self { event } else { nil }
    }

    /// The payload of `permission_decided`, or nil.
    public var permissionDecidedEvent: PermissionDecidedEvent? {
        if case .permissionDecided(let event) = self { event } else { nil }
    }
}
