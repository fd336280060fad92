import Foundation
import Logging

/// A stateful agent: an actor whose state is a fold over its durable log (DESIGN §2–§4).
///
/// Create one with ``create(config:store:provider:tools:hooks:sandbox:costEstimator:)`` or
/// reopen a stored one with ``resume(id:store:provider:tools:hooks:sandbox:costEstimator:)``.
/// Send input with ``send(_:)`` or ``chat(_:)``, watch it with ``subscribe(channels:since:kinds:)``,
/// answer approvals with ``decide(_:_:note:scope:by:)``.
public actor Agent {
    /// This agent's id.
    public nonisolated let id: AgentID
    /// The manifest it was created with (configuration and parent).
    public nonisolated let manifest: AgentManifest

    let store: any AgentStore
    let writer: any AgentLogWriter
    let provider: any ModelProvider
    let tools: ToolRegistry
    /// Built once: schemas do not change while the agent runs.
    let toolDefinitions: [ToolDefinition]
    let hooks: Hooks
    let sandbox: any Sandbox
    let costEstimator: (@Sendable (String, TokenUsage) -> Double?)?
    let bus: EventBus
    let logger = Logger(label: "kode.agent")

    var state: AgentState
    var nextSeq: UInt64
    /// Records made since the last commit.
    var batch: [LogRecord] = []
    /// True while a commit is writing; later commits wait in `appendQueue`, first come first served.
    var appendInFlight = false
    var appendQueue: [CheckedContinuation<Void, Never>] = []
    /// The newest seq handed to the store, and the newest known to be synced.
    var appendedSeq: UInt64 = 0
    var durableSeq: UInt64 = 0
    var readOnlyReason: String?
    var recordsSinceSnapshot = 0
    /// Records between automatic snapshots, at least; see `writeSnapshotIfNeeded`.
    let snapshotInterval = 2_000
    /// A snapshot being encoded and written off the actor; it returns how long it took.
    var snapshotTask: Task<Duration, Never>?
    var lastSnapshotAt = ContinuousClock.now
    var lastSnapshotCost = Duration.zero

    var turnTask: Task<Void, Never>?
    var interruptRequested = false
    var decisionWaiters: [CheckedContinuation<Void, Never>] = []
    var chatWaiters: [String: CheckedContinuation<DoneEvent, any Error>] = [:]
    var reportedCompressions = 0
    var closed = false

    init(
        manifest: AgentManifest, state: AgentState, store: any AgentStore, writer: any AgentLogWriter,
        provider: any ModelProvider, tools: ToolRegistry, hooks: Hooks, sandbox: any Sandbox,
        costEstimator: (@Sendable (String, TokenUsage) -> Double?)?
    ) {
        self.id = manifest.id
        self.manifest = manifest
        self.state = state
        self.nextSeq = state.lastSeq + 1
        self.appendedSeq = state.lastSeq
        self.durableSeq = state.lastSeq
        self.store = store
        self.writer = writer
        self.provider = provider
        self.tools = tools
        self.toolDefinitions = tools.definitions
        self.hooks = hooks
        self.sandbox = sandbox
        self.costEstimator = costEstimator
        let agentId = manifest.id
        self.bus = EventBus { [store] after in
            try await store.records(of: agentId, after: after).compactMap { $0.envelope(agentId: agentId) }
        }
    }

    /// Creates a new agent in `store` and takes its writer lock.
    public static func create(
        config: AgentConfig,
        store: any AgentStore,
        provider: any ModelProvider,
        tools: ToolRegistry = .builtins(),
        hooks: Hooks = Hooks(),
        sandbox: (any Sandbox)? = nil,
        costEstimator: (@Sendable (String, TokenUsage) -> Double?)? = nil
    ) async throws -> Agent {
        let sandbox = try sandbox ?? Agent.defaultSandbox(for: config)
        let manifest = AgentManifest(id: AgentManifest.newID(), config: config)
        try await store.create(manifest)
        let writer = try await store.openWriter(manifest.id)
        return Agent(
            manifest: manifest, state: AgentState(id: manifest.id), store: store, writer: writer,
            provider: provider, tools: tools, hooks: hooks, sandbox: sandbox, costEstimator: costEstimator)
    }

    /// Opens a stored agent for writing and recovers it per the table in DESIGN §4: a partial
    /// reply is discarded, a tool whose start was durable is sealed (never re-run), pending
    /// approvals stay pending. Emits `agent_resumed`.
    public static func resume(
        id: AgentID,
        store: any AgentStore,
        provider: any ModelProvider,
        tools: ToolRegistry = .builtins(),
        hooks: Hooks = Hooks(),
        sandbox: (any Sandbox)? = nil,
        costEstimator: (@Sendable (String, TokenUsage) -> Double?)? = nil
    ) async throws -> Agent {
        let writer = try await store.openWriter(id)
        do {
            let history = try await store.history(of: id)
            let state = try AgentState.rebuild(from: history)
            let config = history.manifest.config
            let sandbox = try sandbox ?? Agent.defaultSandbox(for: config)
            let agent = Agent(
                manifest: history.manifest, state: state, store: store, writer: writer,
                provider: provider, tools: tools, hooks: hooks, sandbox: sandbox, costEstimator: costEstimator)
            try await agent.recover(repairs: history.repairs)
            return agent
        } catch {
            try? await writer.close()
            throw error
        }
    }

    /// A `LocalSandbox` on the config's working directory and allowed paths.
    static func defaultSandbox(for config: AgentConfig) throws -> any Sandbox {
        try LocalSandbox(workDir: URL(fileURLWithPath: config.workDir), allowPaths: config.allowPaths.map { URL(fileURLWithPath: $0) })
    }

    // MARK: Input

    /// Queues input. It is durable before this returns; a turn starts if the agent is idle,
    /// otherwise the input joins the running turn at its next model call. Returns the input id.
    @discardableResult
    public func send(_ text: String) async throws -> String {
        try ensureWritable()
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw AgentError.emptyInput }
        let input = QueuedInput(id: "in_" + ShortID.make(), text: text)
        record(.inputQueued(input))
        try await commit(.durable)
        if state.pendingApprovals.isEmpty { startTurnIfIdle() }
        return input.id
    }

    /// Sends input and waits for the turn that answers it to end.
    public func chat(_ text: String) async throws -> DoneEvent {
        let inputId = try await send(text)
        return try await waitForTurn(answering: inputId)
    }

    /// Continues an interrupted turn (after a crash, an interrupt or a fork): runs calls that are
    /// safe to run, then asks the model again. Does nothing while a turn runs.
    public func continueTurn() async throws {
        try ensureWritable()
        guard turnTask == nil else { return }
        startTurn()
    }

    /// Waits for the end of the current turn, if one is running.
    public func waitUntilIdle() async {
        await turnTask?.value
    }

    // MARK: Observation

    /// The agent's events as an `AsyncSequence`. With `since`, every stored event after the
    /// bookmark is replayed first, then live events follow with no gap and no duplicate.
    public nonisolated func subscribe(
        channels: Set<EventChannel> = Set(EventChannel.allCases),
        since: Bookmark? = nil,
        kinds: Set<EventType>? = nil
    ) -> AgentEventStream {
        bus.subscribe(filter: EventFilter(channels: channels, kinds: kinds), since: since?.seq)
    }

    /// Calls `handler` for every live event of `type` until the handle is cancelled.
    public nonisolated func on(_ type: EventType, _ handler: @escaping @Sendable (EventEnvelope) -> Void) -> EventSubscriptionHandle {
        let stream = bus.subscribe(filter: EventFilter(kinds: [type]), since: nil)
        let task = Task {
            for await envelope in stream { handler(envelope) }
        }
        return EventSubscriptionHandle(stream: stream, task: task)
    }

    /// A summary for status lines.
    public func status() -> AgentStatus {
        AgentStatus(
            id: id, runtimeState: state.runtimeState, breakpoint: state.breakpoint,
            messageCount: state.messages.count, pendingApprovals: state.pendingApprovals,
            queuedInputs: state.queuedInputs, usage: state.usage, costUSD: state.costUSD,
            provider: provider.info, parent: manifest.parent,
            turnInterrupted: state.turnOpen && turnTask == nil && state.pendingApprovals.isEmpty,
            readOnlyReason: readOnlyReason, lastSeq: state.lastSeq)
    }

    /// The full state: conversation, tool calls, todos, checkpoints, rules.
    public func snapshot() -> AgentState { state }

    /// Safe fork points, oldest first.
    public func checkpoints() -> [Checkpoint] { state.checkpoints }

    // MARK: Lifecycle

    /// Interrupts a running turn, syncs, releases the writer lock and ends every subscription.
    public func close() async {
        guard !closed else { return }
        await interrupt()
        closed = true
        if !batch.isEmpty { try? await commit(.durable) }
        if readOnlyReason == nil, recordsSinceSnapshot > 0 { await writeSnapshotIfNeeded(force: true) }
        // A snapshot still being written off the actor must finish before the writer closes.
        if let pending = snapshotTask {
            _ = await pending.value
            snapshotTask = nil
        }
        try? await writer.close()
        for (_, waiter) in chatWaiters { waiter.resume(throwing: AgentError.closed) }
        chatWaiters.removeAll()
        bus.finishAll()
    }

    func ensureWritable() throws {
        if closed { throw AgentError.closed }
        if let readOnlyReason { throw AgentError.readOnly(readOnlyReason) }
    }
}

/// Cancels an ``Agent/on(_:_:)`` callback.
public struct EventSubscriptionHandle: Sendable {
    let stream: AgentEventStream
    let task: Task<Void, Never>

    /// Stops the callbacks.
    public func cancel() {
        stream.cancel()
        task.cancel()
    }
}
