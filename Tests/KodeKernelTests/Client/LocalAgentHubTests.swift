import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("The in-process hub")
struct LocalAgentHubTests {
    static func hub(_ store: any AgentStore, script: String = #"{"turns":[{"text":"ok"},{"text":"ok"},{"text":"ok"}]}"#, retention: LocalAgentHub.Retention) throws -> LocalAgentHub {
        let parsed = try ScriptedScript.parse(Data(script.utf8), source: "test")
        return LocalAgentHub(store: store, wiring: AgentWiring(makeProvider: { _ in ScriptedProvider(script: parsed) }), retention: retention)
    }

    static func config(_ dir: TemporaryDirectory, mode: PermissionMode = .auto) -> AgentConfig {
        var config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: dir.path)
        config.permission.mode = mode
        return config
    }

    @Test func handlesShareOneAgentAndTheLastReleaseClosesIt() async throws {
        let dir = try TemporaryDirectory()
        let store = InMemoryStore()
        let hub = try Self.hub(store, retention: .closeWhenReleased)
        let first = try await hub.create(Self.config(dir))
        let second = try await hub.open(first.id, options: OpenOptions())
        _ = try await first.send("hi")
        try await first.waitUntilIdle()
        #expect(try await second.state().messages.count == 2)
        await first.release(.leave)
        #expect(await hub.openAgents().count == 1, "still attached through the second handle")
        await second.release(.leave)
        #expect(await hub.openAgents().isEmpty)
        // Closed for real: the writer lock is free.
        let reopened = try await Agent.resume(id: first.id, store: store, provider: DemoProvider())
        await reopened.close()
    }

    @Test func aHostKeepsIdleAgentsUpToItsLimitLeastRecentlyUsedFirst() async throws {
        let dir = try TemporaryDirectory()
        let hub = try Self.hub(InMemoryStore(), retention: .keepOpen(maxOpen: 2))
        var ids: [AgentID] = []
        for _ in 0..<3 {
            let handle = try await hub.create(Self.config(dir))
            ids.append(handle.id)
            await handle.release(.leave)
        }
        let open = await hub.openAgents().map(\.status.id)
        #expect(Set(open) == Set(ids.suffix(2)), "the oldest idle agent was closed")
        // An attached agent is never closed, however many are open.
        let held = try await hub.open(ids[0], options: OpenOptions())
        let more = try await hub.create(Self.config(dir))
        await more.release(.leave)
        #expect(await hub.openAgents().map(\.status.id).contains(held.id))
        await held.release(.leave)
    }

    @Test func recoveryOpensAgentsThatHaveWorkLeft() async throws {
        let dir = try TemporaryDirectory()
        let store = InMemoryStore()
        let script = #"{"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"echo x"}}]},{"text":"ok"}]}"#
        let embedded = try Self.hub(store, script: script, retention: .closeWhenReleased)
        let waiting = try await embedded.create(Self.config(dir, mode: .approval))
        let events = try await waiting.subscribe()
        _ = try await waiting.send("go")
        for await e in events { if case .permissionRequired = e.event { break } }
        let idle = try await embedded.create(Self.config(dir))
        await idle.release(.leave)
        await waiting.release(.leave)
        let host = try Self.hub(store, script: script, retention: .keepOpen(maxOpen: 8))
        let recovered = await host.recoverAll()
        #expect(recovered.opened == [waiting.id], "only the agent waiting for an approval needs opening")
        #expect(recovered.failures.isEmpty)
        let status = try #require(await host.openAgents().first?.status)
        #expect(status.pendingApprovals.count == 1, "the request stays pending, never auto-approved")
        await host.shutDown(grace: .seconds(5))
    }

    @Test func aWindowHoldsTheNewestMessagesAndTheCallsTheyMake() async throws {
        let dir = try TemporaryDirectory()
        let script = #"{"turns":[{"tool_calls":[{"name":"fs_glob","input":{"pattern":"*"}}]},{"text":"one"},{"tool_calls":[{"name":"fs_glob","input":{"pattern":"*.md"}}]},{"text":"two"}]}"#
        let hub = try Self.hub(InMemoryStore(), script: script, retention: .closeWhenReleased)
        let agent = try await hub.create(Self.config(dir))
        _ = try await agent.send("first")
        try await agent.waitUntilIdle()
        _ = try await agent.send("second")
        try await agent.waitUntilIdle()
        let full = try await agent.state()
        let window = try await agent.window(messages: 3)
        #expect(window.messageCount == full.messages.count)
        #expect(window.firstMessage == full.messages.count - 3)
        #expect(window.state.messages == Array(full.messages.suffix(3)))
        #expect(window.state.toolCalls.count == 1, "only the call the window's messages make")
        let page = try await agent.transcript(0..<window.firstMessage)
        #expect(page.messages == Array(full.messages.prefix(window.firstMessage)))
        #expect(page.toolCalls.count == 1)
        await agent.release(.leave)
    }
}
