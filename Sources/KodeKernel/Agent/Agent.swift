import Foundation
import Logging

/// A stateful agent: an actor whose state is a fold over its durable log (DESIGN §2–§4).
///
/// Create one with ``create(config:dependencies:)`` (or its shorthand
/// ``create(config:store:provider:tools:hooks:sandbox:costEstimator:)``) or reopen a stored one
/// with ``resume(id:dependencies:)``.
/// Send input with ``send(_:)`` or ``chat(_:)``, watch it with ``subscribe(channels:since:kinds:)``,
/// answer approvals with ``decide(_:_:note:scope:by:)``.
public actor Agent {
    /// This agent's id.
    public nonisolated let id: AgentID
    /// The manifest it was created with (configuration and parent).
    public nonisolated let manifest: AgentManifest

    let store: any AgentStore
    let writer: any AgentLogWriter
    /// Replaced by ``switchModel(to:provider:by:)`` between turns.
    var provider: any ModelProvider
    let tools: ToolRegistry
    /// Built once: schemas do not change while the agent runs.
    let toolDefinitions: [ToolDefinition]
    let hooks: Hooks
    let sandbox: any Sandbox
    let costEstimator: (@Sendable (String, TokenUsage) -> Double?)?
    let context: ContextPolicy
    let projectRules: (any ProjectRuleWriter)?
    let instructionSource: ProjectInstructions
    let bus: EventBus
    /// What the scheduler's timed triggers are measured by.
    let clock: any SchedulerClock
    let logger = Logger(label: "kode.agent")

    var state: AgentState
    /// Seqs, the uncommitted batch and the commit turn (see `commit`).
    var pipeline: CommitPipeline
    var snapshots = SnapshotScheduler()
    var readOnlyReason: String?

    var turnTask: Task<Void, Never>?
    var interruptRequested = false
    var decisionWaiters: [CheckedContinuation<Void, Never>] = []
    var chatWaiters: [String: CheckedContinuation<DoneEvent, any Error>] = [:]
    var reportedCompressions = 0
    /// The composed system prompt and the parts it was composed from.
    var systemPromptCache: (instructions: [InstructionFile], manuals: [ToolManual], prompt: String)?
    var closed = false
    /// What the next request sends, kept up to date incrementally.
    var shaper = ConversationShaper()
    /// UTF-8 bytes of the system prompt and tool definitions, for token estimates.
    /// (Measured once: instructions reloaded later change it by little, and it only sizes estimates.)
    lazy var fixedRequestBytes: Int = Self.fixedBytes(system: systemPrompt(), tools: toolDefinitions)
    /// How the running manual compaction failed, for `compact(instructions:)` to throw.
    var manualCompactionError: (any Error)?
    /// Holds threshold compactions back after one failed (nil: none failed since the last success).
    var compactionBackoff: CompactionBackoff?
    /// Reminders waiting for the next model call (external file changes).
    var pendingReminders: [String] = []
    /// Files the agent's tools read and wrote, and the watcher reporting changes to them.
    let files: FileAwareness
    /// Takes the workspace snapshots (nil when they are off or the store keeps no files).
    let workspace: WorkspaceRecorder?
    /// The sub-agents this agent's `task_run` calls are running, and calls to re-attach.
    var subAgents = SubAgentBook()
    /// How the newest turn ended; nil while one runs or when it stopped without ending (storage failed).
    var lastTurnEnd: TurnEnd?
    /// What this agent was made with, for the children it spawns.
    let dependencies: AgentDependencies

    /// The seq the next record gets.
    var nextSeq: UInt64 { pipeline.nextSeq }

    init(manifest: AgentManifest, state: AgentState, writer: any AgentLogWriter, dependencies: AgentDependencies, sandbox: any Sandbox) {
        self.id = manifest.id
        self.manifest = manifest
        self.state = state
        self.pipeline = CommitPipeline(lastSeq: state.lastSeq)
        self.store = dependencies.store
        self.writer = writer
        self.provider = dependencies.provider
        // A template or the config may enable only some tools.
        let tools = manifest.config.tools.map { dependencies.tools.restricted(to: $0) } ?? dependencies.tools
        self.tools = tools
        self.toolDefinitions = tools.definitions
        self.hooks = dependencies.hooks
        self.sandbox = sandbox
        self.costEstimator = dependencies.costEstimator
        self.context = dependencies.context
        self.files = FileAwareness()
        self.projectRules = dependencies.projectRules
        self.instructionSource = dependencies.instructions
        self.clock = dependencies.clock
        self.workspace = WorkspaceRecorder(manifest: manifest, store: dependencies.store)
        self.dependencies = dependencies
        let agentId = manifest.id
        self.bus = EventBus { [store] after in
            try await store.records(of: agentId, after: after).compactMap { $0.envelope(agentId: agentId) }
        }
    }

    /// Creates a new agent in `dependencies.store` and takes its writer lock.
    public static func create(config: AgentConfig, dependencies: AgentDependencies) async throws -> Agent {
        let sandbox = try dependencies.sandbox ?? Agent.defaultSandbox(for: config, store: dependencies.store)
        return try await create(manifest: AgentManifest(id: AgentManifest.newID(), config: config), sandbox: sandbox, dependencies: dependencies)
    }

    /// Creates the agent `manifest` describes (a new id, or a sub-agent's id recorded earlier).
    /// With `.deferred` creation the agent also defers its own steps until its first effect
    /// (see ``CommitPipeline/deferringSteps``): nothing of it is synced until something outside
    /// depends on it.
    static func create(
        manifest: AgentManifest, sandbox: any Sandbox, dependencies: AgentDependencies, creation: CreationDurability = .immediate
    ) async throws -> Agent {
        try await dependencies.store.create(manifest, durability: creation)
        let writer = try await dependencies.store.openWriter(manifest.id)
        let agent = Agent(manifest: manifest, state: AgentState(id: manifest.id), writer: writer, dependencies: dependencies, sandbox: sandbox)
        if creation == .deferred { await agent.deferStepsUntilFirstEffect() }
        try await agent.warnIfUnconfined()
        try await agent.refreshSystemContext(readingInstructions: true)
        await agent.startFileWatching()
        return agent
    }

    /// Creates a new agent in `store` and takes its writer lock (``create(config:dependencies:)``
    /// with the dependencies spelled out).
    public static func create(
        config: AgentConfig,
        store: any AgentStore,
        provider: any ModelProvider,
        tools: ToolRegistry = .builtins(),
        hooks: Hooks = Hooks(),
        sandbox: (any Sandbox)? = nil,
        costEstimator: (@Sendable (String, TokenUsage) -> Double?)? = nil
    ) async throws -> Agent {
        try await create(config: config, dependencies: AgentDependencies(
            store: store, provider: provider, tools: tools, hooks: hooks, sandbox: sandbox, costEstimator: costEstimator))
    }

    /// Opens a stored agent for writing and recovers it per the table in DESIGN §4: a partial
    /// reply is discarded, a tool whose start was durable is sealed (never re-run), pending
    /// approvals stay pending. Emits `agent_resumed`.
    public static func resume(id: AgentID, dependencies: AgentDependencies) async throws -> Agent {
        let store = dependencies.store
        let writer = try await store.openWriter(id)
        do {
            let history = try await store.history(of: id)
            let state = try AgentState.rebuild(from: history)
            let sandbox = try dependencies.sandbox ?? Agent.defaultSandbox(for: history.manifest.config, store: store)
            let agent = Agent(manifest: history.manifest, state: state, writer: writer, dependencies: dependencies, sandbox: sandbox)
            await agent.noteOpened(history)
            try await agent.recover(repairs: history.repairs)
            try await agent.finishInterruptedRewind(in: history.records)
            try await agent.warnIfUnconfined()
            try await agent.refreshSystemContext(readingInstructions: false)
            await agent.startFileWatching()
            return agent
        } catch {
            try? await writer.close()
            throw error
        }
    }

    /// ``resume(id:dependencies:)`` with the dependencies spelled out.
    public static func resume(
        id: AgentID,
        store: any AgentStore,
        provider: any ModelProvider,
        tools: ToolRegistry = .builtins(),
        hooks: Hooks = Hooks(),
        sandbox: (any Sandbox)? = nil,
        costEstimator: (@Sendable (String, TokenUsage) -> Double?)? = nil
    ) async throws -> Agent {
        try await resume(id: id, dependencies: AgentDependencies(
            store: store, provider: provider, tools: tools, hooks: hooks, sandbox: sandbox, costEstimator: costEstimator))
    }

    /// A `LocalSandbox` on the config's working directory and allowed paths, confining commands as
    /// `config.sandbox` says, and keeping `store` out of their reach when it is a directory.
    static func defaultSandbox(for config: AgentConfig, store: any AgentStore) throws -> any Sandbox {
        try LocalSandbox(workDir: URL(fileURLWithPath: config.workDir), allowPaths: config.allowPaths.map { URL(fileURLWithPath: $0) },
                         denyCommands: config.deniedCommands.isEmpty ? nil : config.deniedCommands, commands: config.sandbox, storeRoot: (store as? FileStore)?.root)
    }

    // MARK: Input

    /// Queues input. It is durable before this returns (in a sub-agent before its first effect,
    /// with that effect: its input is its parent's durable `task_run` call); a turn starts if the
    /// agent is idle, otherwise the input joins the running turn at its next model call. Returns
    /// the input id.
    @discardableResult
    public func send(_ text: String) async throws -> String {
        try ensureWritable()
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw AgentError.emptyInput }
        let input = QueuedInput(id: "in_" + ShortID.make(), text: text)
        record(.inputQueued(input))
        try await commit(stepDurability)
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
            readOnlyReason: readOnlyReason, lastSeq: state.lastSeq, sandbox: sandbox.confinement,
            title: AgentTitle.of(state))
    }

    /// The full state: conversation, tool calls, todos, checkpoints, rules.
    public func snapshot() -> AgentState { state }

    /// Safe fork points, oldest first.
    public func checkpoints() -> [Checkpoint] { state.checkpoints }

    // MARK: Lifecycle

    /// Interrupts a running turn, syncs, releases the writer lock and ends every subscription.
    public func close() async {
        await close(writingSnapshot: true)
    }

    /// ``close()``, optionally without the closing snapshot (a sub-agent's log is short: reading
    /// it whole is cheaper than the snapshot's syncs).
    func close(writingSnapshot: Bool) async {
        guard !closed else { return }
        await interrupt()
        closed = true
        files.stop()
        if !pipeline.batch.isEmpty { try? await commit(.durable) }
        if writingSnapshot, readOnlyReason == nil, snapshots.isWorthWritingAtClose() { await writeSnapshotIfNeeded(force: true) }
        // A snapshot still being written off the actor must finish before the writer closes.
        if let pending = snapshots.task {
            snapshots.note(await pending.value)
            snapshots.task = nil
        }
        try? await writer.close()
        for (_, waiter) in chatWaiters { waiter.resume(throwing: AgentError.closed) }
        chatWaiters.removeAll()
        bus.finishAll()
    }

    /// See ``CommitPipeline/deferringSteps``.
    func deferStepsUntilFirstEffect() {
        pipeline.deferringSteps = true
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
