import Foundation
import KodeKernel

/// What the status line knows about the open agent.
package struct SessionInfo: Sendable, Hashable {
    package var agentId: AgentID
    package var provider: ProviderInfo
    package var state: RuntimeState
    package var breakpoint: Breakpoint
    package var usage: TokenUsage
    package var costUSD: Double?
    package var parent: ParentRef?
    /// How the agent's commands are confined; nil when its host did not say.
    package var sandbox: CommandConfinement?
    /// The agent runs in a host process and keeps running after the app exits.
    package var hosted = false
    /// The agent's todo list, from its state and then `todo_changed`.
    package var todos: [TodoItem] = []
    /// The agent's work directory when it is not the directory the app was started in (a fork
    /// with a workspace of its own): the status line shows it.
    package var otherWorkDir: String?
    /// The agent's working directory (its manifest's), where its tools' relative paths start.
    package var workDir: String?
    /// The title a person gave the agent (`/rename`, `kode rename`), from its state and then
    /// `agent_renamed`; nil: none (untrusted text, sanitized where drawn).
    package var title: String?

    /// Status for an agent.
    package init(agentId: AgentID, provider: ProviderInfo, state: RuntimeState = .ready, breakpoint: Breakpoint = .ready, usage: TokenUsage = TokenUsage(), costUSD: Double? = nil, parent: ParentRef? = nil, sandbox: CommandConfinement? = nil) {
        self.agentId = agentId
        self.provider = provider
        self.state = state
        self.breakpoint = breakpoint
        self.usage = usage
        self.costUSD = costUSD
        self.parent = parent
        self.sandbox = sandbox
    }

    /// Folds the status-relevant events in.
    package mutating func apply(_ envelope: EventEnvelope) {
        switch envelope.event {
        case .stateChanged(let e): state = e.to
        case .breakpointChanged(let e): breakpoint = e.to
        case .todoChanged(let e): todos = e.todos
        case .agentRenamed(let e): title = e.title
        case .modelChanged(let e):
            // Another terminal's `/model` shows here too; the endpoint stays what it was.
            provider = ProviderInfo(name: e.provider.name, model: e.provider.model, baseURL: e.provider.baseURL ?? provider.baseURL,
                                    isDemo: e.provider.name == "demo")
        case .tokenUsage(let e):
            usage = e.total
            if let c = e.totalCostUSD { costUSD = c }
        default: break
        }
    }
}
