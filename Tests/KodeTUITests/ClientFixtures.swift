import Foundation
import KodeKernel
import KodeTUI
import KodeTestSupport
import Testing

/// Agents on scripted models behind a `LocalAgentHub`, reached only through the client API as
/// the app reaches them.
enum ClientFixtures {
    static func hub(script: String, store: any AgentStore = InMemoryStore()) throws -> LocalAgentHub {
        let parsed = try ScriptedScript.parse(Data(script.utf8), source: "test script")
        return LocalAgentHub(store: store, wiring: AgentWiring(makeProvider: { _ in ScriptedProvider(script: parsed) }))
    }

    static func config(_ mode: PermissionMode = .auto) -> AgentConfig {
        var config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: FileManager.default.temporaryDirectory.path)
        config.permission.mode = mode
        return config
    }

    /// Reads `events` until one matches, returning it (bounded: a hang fails the test).
    @discardableResult
    static func next(
        _ events: AgentEvents, sourceLocation: SourceLocation = #_sourceLocation,
        _ match: @escaping @Sendable (EventEnvelope) -> Bool
    ) async -> EventEnvelope? {
        await firstMatch(in: events, "a matching event", sourceLocation: sourceLocation, where: match)
    }

    static func isDone(_ e: EventEnvelope) -> Bool {
        if case .done = e.event { return true }
        return false
    }

    static func isApproval(_ e: EventEnvelope) -> Bool {
        if case .permissionRequired = e.event { return true }
        return false
    }

    /// Sends `text` and waits for the turn's end (or `until`).
    static func turn(_ handle: any AgentHandle, _ text: String, until: @escaping @Sendable (EventEnvelope) -> Bool = isDone) async throws {
        let events = try await handle.subscribe(since: nil)
        defer { events.cancel() }
        _ = try await handle.send(text)
        _ = await next(events, until)
    }
}

/// What a test watching the run loop sees after each message.
struct LoopView: Sendable {
    var pending: [String]
    var flash: String?
    var lostHost: String?
    /// The diff of the approval shown, if it is a write or edit.
    var diff: FileDiff?
    /// The title of the agent shown (`agent_renamed`).
    var title: String? = nil
    /// The agents view's rows, when it is open.
    var agentRows: [AgentRow] = []
    /// The text of the rename prompt, when it is the top overlay.
    var prompt: String? = nil
}

/// A run loop on an in-memory terminal, watched through a stream of `LoopView`s.
struct WatchedLoop {
    let post: @Sendable (LoopMessage) -> Void
    let views: AsyncStream<LoopView>
    let outcome: Task<TUIOutcome, Never>

    static func start(hub: any AgentHub, handle: any AgentHandle) async throws -> WatchedLoop {
        let (model, since) = try await SessionLoader.model(for: handle, width: 120, height: 40, unicode: true, keymap: Keymap())
        let loop = AppLoop(backend: MemoryBackend(width: 120, height: 40), hub: hub, handle: handle, model: model, hosted: false)
        let (views, sink) = AsyncStream.makeStream(of: LoopView.self)
        loop.observe = { m in
            var agentRows: [AgentRow] = []
            var prompt: String?
            for overlay in m.overlays {
                if case .agents(let view) = overlay { agentRows = view.rows }
                if case .rename(_, let text) = overlay { prompt = text } else { prompt = nil }
            }
            sink.yield(LoopView(pending: m.approvals.pending.map(\.callId), flash: m.flash, lostHost: m.lostHost,
                                diff: m.approvals.current.flatMap { m.conversation.toolCell($0.callId)?.diff },
                                title: m.info.title, agentRows: agentRows, prompt: prompt))
        }
        let post = loop.post
        let outcome = Task {
            let outcome = await loop.run(reader: nil, since: since)
            sink.finish()
            return outcome
        }
        return WatchedLoop(post: post, views: views, outcome: outcome)
    }

    /// Waits for a view that matches (bounded: a hang fails the test).
    func wait(sourceLocation: SourceLocation = #_sourceLocation, _ match: @escaping @Sendable (LoopView) -> Bool) async -> LoopView? {
        await firstMatch(in: views, "a matching view of the run loop", sourceLocation: sourceLocation, where: match)
    }
}
