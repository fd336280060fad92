import Foundation

/// An open agent, as a front end sees it: the same operations whether the agent runs in this
/// process or in a host (DESIGN §9). Several handles may share one agent (several terminals
/// attached to one host); each sees every event, and a decision made through one is seen by all.
public protocol AgentHandle: Sendable {
    /// The agent's id.
    var id: AgentID { get }
    /// The manifest it was created with.
    var manifest: AgentManifest { get }

    /// Stored events after `since`, then live ones, with no gap and no duplicate; with no
    /// `since`, every event after the subscription is in place when this returns. A remote
    /// handle reconnects by itself after a dropped connection and resumes from the last
    /// delivered seq.
    func subscribe(channels: Set<EventChannel>, since: Bookmark?, kinds: Set<EventType>?) async throws -> AgentEvents
    /// Queues input (durable before this returns) and returns its id.
    func send(_ text: String) async throws -> String
    /// Answers a pending approval. A second decision for the same call is an error. When the
    /// last pending call of a turn that no longer runs is answered (the agent was reopened after
    /// a restart with the request pending), the turn continues: the approved tool runs.
    func decide(_ callId: String, _ decision: DecisionKind, note: String?, scope: DecisionScope, by decidedBy: String) async throws
    /// Stops the model stream and running tools; what was cut is sealed.
    func interrupt() async throws
    /// Continues an interrupted turn; does nothing while one runs.
    func continueTurn() async throws
    /// Labels one of this agent's safe fork points: `checkpointId` (an id or a label), or the
    /// newest with `nil`. The label is durable.
    func checkpoint(label: String?, at checkpointId: String?) async throws -> Checkpoint
    /// Uses another provider or model from the next turn on, recorded durably (`model_changed`)
    /// so the agent keeps it when opened again. Refused (``ClientError/busy(_:)``) while a turn
    /// runs; a config no model can be made for is ``ClientError/provider(_:)``. Returns what
    /// the agent talks to now.
    func switchModel(to provider: ProviderConfig, by who: String) async throws -> ProviderInfo
    /// Gives the agent a title for listings and views (blank: none, the first prompt names it),
    /// recorded durably as `agent_renamed` so every client sees it. A title of more than one
    /// line or over ``AgentTitle/maxLength`` characters is ``AgentError/invalidTitle(_:)``.
    /// Returns the title stored (trimmed; nil when removed).
    func rename(to title: String, by who: String) async throws -> String?
    /// A child agent from one of this agent's safe fork points, not opened.
    func fork(at checkpoint: String) async throws -> AgentID
    /// A summary for status lines.
    func status() async throws -> AgentStatus
    /// The whole folded state (conversation, tool calls, todos, checkpoints, rules): what a view
    /// is built from before it follows ``subscribe(channels:since:kinds:)`` from `state.lastSeq`.
    func state() async throws -> AgentState
    /// The newest part of the state, for a view's first frame at a cost that does not grow with
    /// the history: the last `messages` messages and what they refer to.
    func window(messages: Int) async throws -> AgentStateWindow
    /// Older messages, for a view scrolling back.
    func transcript(_ range: Range<Int>) async throws -> TranscriptPage
    /// Revokes an "always" rule granted earlier.
    func revokeRule(_ ruleId: String) async throws
    /// Summarises the older conversation now (a compaction, docs/AGENT.md "Long sessions"), with
    /// optional extra `instructions` for the summary. Refused while a turn runs.
    func compact(instructions: String?) async throws
    /// Waits until no turn runs.
    func waitUntilIdle() async throws
    /// Adds a scheduler trigger (docs/MULTI-AGENT.md, "Scheduler"), durable before this returns.
    /// In a host, its timed triggers fire from then on whether anyone is attached or not.
    func addTrigger(_ spec: TriggerSpec, by who: String) async throws -> ScheduledTrigger
    /// Removes a trigger by id or name (``ScheduleError/notFound(_:)`` if none); returns it as it stood.
    func removeTrigger(_ idOrName: String, by who: String) async throws -> ScheduledTrigger
    /// Lets go of the agent; see ``Release``.
    func release(_ how: Release) async
}

/// What letting go of an agent means.
public enum Release: String, Sendable, Hashable, Codable {
    /// Stop this process's interest; an agent in a host keeps running, one in this process is
    /// closed when idle or detached (as a crash would leave it, minus the risk) mid-turn.
    case leave
    /// Detach now even if a turn runs: pending approvals stay pending, a running tool is sealed
    /// on the next open. For a hosted agent the same as `leave`.
    case detach
    /// Stop this process's interest without cutting a running turn: an agent in this process
    /// finishes the turn it is in, then is closed (or kept for a decision it waits for); an
    /// agent in a host keeps running, as with `leave`. What a front end does when it switches
    /// from one agent to another.
    case background
}

extension AgentHandle {
    /// Labels the newest safe fork point.
    public func checkpoint(label: String?) async throws -> Checkpoint {
        try await checkpoint(label: label, at: nil)
    }

    /// Every event, from `since`.
    public func subscribe(since: Bookmark? = nil) async throws -> AgentEvents {
        try await subscribe(channels: Set(EventChannel.allCases), since: since, kinds: nil)
    }

    /// Answers a pending approval as the user, once.
    public func decide(_ callId: String, _ decision: DecisionKind, note: String? = nil) async throws {
        try await decide(callId, decision, note: note, scope: .once, by: "user")
    }
}
