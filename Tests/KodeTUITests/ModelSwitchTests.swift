import Foundation
import KodeKernel
import KodeTUI
import Testing

/// `/model`: the slash command, and the client API under it (durable, kept on reopen, refused
/// mid-turn).
@Suite struct ModelSwitchTests {
    @Test func theSlashCommandParsesProviderAndModel() {
        var m = Fixtures.model(width: 120, height: 30)
        #expect(SlashCommandTests.typed("/model other", &m) == [.switchModel(ProviderConfig(name: "scripted", model: "other"))])
        #expect(SlashCommandTests.typed("/model OpenAI/gpt-4.1", &m) == [.switchModel(ProviderConfig(name: "openai", model: "gpt-4.1"))])
        #expect(SlashCommandTests.typed("/model", &m).isEmpty)
        #expect(m.flash?.hasPrefix("model: scripted/script") == true)
        #expect(SlashCommandTests.typed("/model a/", &m).isEmpty)
        #expect(m.flash?.contains("is not [provider/]model") == true)
    }

    static func hub(store: any AgentStore = InMemoryStore()) throws -> LocalAgentHub {
        let script = try ScriptedScript.parse(Data(#"{"turns":[{"text":"a"},{"tool_calls":[{"name":"bash_run","input":{"cmd":"echo hi"}}]},{"text":"c"}]}"#.utf8), source: "test")
        // Each config gets a model named after it, so the test can see which one answers.
        return LocalAgentHub(store: store, wiring: AgentWiring(makeProvider: { config in
            guard config.name == "scripted" else { throw ClientError.provider("no provider '\(config.name)'") }
            return ScriptedProvider(script: script, model: config.model)
        }))
    }

    @Test func aSwitchIsDurableKeptOnReopenAndRefusedMidTurn() async throws {
        let hub = try Self.hub()
        let handle = try await hub.create(ClientFixtures.config(.approval))
        try await ClientFixtures.turn(handle, "first")
        let events = try await handle.subscribe(since: nil)
        let info = try await handle.switchModel(to: ProviderConfig(name: "scripted", model: "bigger"), by: "user")
        #expect(info.model == "bigger")
        let changed = await ClientFixtures.next(events) { if case .modelChanged = $0.event { return true } else { return false } }
        events.cancel()
        if case .modelChanged(let e)? = changed?.event {
            #expect(e.provider.model == "bigger" && e.by == "user")
        } else {
            Issue.record("no model_changed event")
        }
        #expect(try await handle.status().provider.model == "bigger")

        // Mid-turn (the turn waits for an approval): refused, the turn keeps its model.
        let during = try await handle.subscribe(since: nil)
        _ = try await handle.send("second")
        let ask = await ClientFixtures.next(during, ClientFixtures.isApproval)
        var refusal: ClientError?
        do { _ = try await handle.switchModel(to: ProviderConfig(name: "scripted", model: "other"), by: "user") } catch let e as ClientError { refusal = e }
        #expect(refusal == .busy("a turn is running: the model changes between turns (interrupt it or wait for it to end)"))
        if case .permissionRequired(let e)? = ask?.event { try await handle.decide(e.callId, .deny) }
        _ = await ClientFixtures.next(during, ClientFixtures.isDone)
        during.cancel()

        let id = handle.id
        await handle.release(.leave)
        let reopened = try await hub.open(id, options: OpenOptions())
        let model = try await reopened.status().provider.model
        await reopened.release(.leave)
        #expect(model == "bigger", "the choice outlives the process")
        #expect(try await hub.state(of: id, at: nil).state.providerOverride?.model == "bigger")
    }

    @Test func aProviderThatCannotBeMadeIsRefused() async throws {
        let hub = try Self.hub()
        let handle = try await hub.create(ClientFixtures.config())
        var refusal: ClientError?
        do { _ = try await handle.switchModel(to: ProviderConfig(name: "nope", model: "x"), by: "user") } catch let e as ClientError { refusal = e }
        if case .provider(let message)? = refusal { #expect(message.contains("no provider 'nope'")) } else { Issue.record("not refused: \(String(describing: refusal))") }
        #expect(try await handle.status().provider.model == "scripted")
        await handle.release(.leave)
    }

    @Test func theStatusLineFollowsAModelChangeMadeAnywhere() {
        var m = Fixtures.model(width: 120, height: 30)
        let env = EventEnvelope(seq: 5, timestamp: Fixtures.t0, agentId: Fixtures.agentId,
                                event: .modelChanged(ModelChangedEvent(provider: ProviderConfig(name: "openai", model: "gpt-4.1"), by: "cli")))
        _ = Update.apply(.event(env), to: &m, now: Fixtures.t0)
        #expect(m.info.provider.name == "openai" && m.info.provider.model == "gpt-4.1")
    }
}
