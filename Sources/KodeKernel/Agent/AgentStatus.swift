import Foundation

/// A summary of an agent for status lines and listings.
public struct AgentStatus: Sendable, Hashable, Codable {
    public var id: AgentID
    public var runtimeState: RuntimeState
    public var breakpoint: Breakpoint
    public var messageCount: Int
    public var pendingApprovals: [ToolCallRecord]
    public var queuedInputs: [QueuedInput]
    public var usage: TokenUsage
    public var costUSD: Double?
    public var provider: ProviderInfo
    public var parent: ParentRef?
    /// An interrupted turn waits for an explicit continue.
    public var turnInterrupted: Bool
    /// Set after a failed sync: the agent accepts no more writes.
    public var readOnlyReason: String?
    public var lastSeq: UInt64
    /// How its commands are confined; nil from a host that predates the sandbox.
    public var sandbox: CommandConfinement?
    /// Its title (``AgentTitle/of(_:)``: the one a person gave it, else its first prompt); nil
    /// before any prompt and from a host that predates titles.
    public var title: String? = nil

    /// For a status read from a store rather than asked of a running agent (an agent another
    /// PostgreSQL worker owns).
    package init(id: AgentID, runtimeState: RuntimeState, breakpoint: Breakpoint, messageCount: Int, pendingApprovals: [ToolCallRecord],
                 queuedInputs: [QueuedInput], usage: TokenUsage, costUSD: Double?, provider: ProviderInfo, parent: ParentRef?,
                 turnInterrupted: Bool, readOnlyReason: String?, lastSeq: UInt64, sandbox: CommandConfinement?, title: String? = nil) {
        self.id = id
        self.runtimeState = runtimeState
        self.breakpoint = breakpoint
        self.messageCount = messageCount
        self.pendingApprovals = pendingApprovals
        self.queuedInputs = queuedInputs
        self.usage = usage
        self.costUSD = costUSD
        self.provider = provider
        self.parent = parent
        self.turnInterrupted = turnInterrupted
        self.readOnlyReason = readOnlyReason
        self.lastSeq = lastSeq
        self.sandbox = sandbox
        self.title = title
    }
}
