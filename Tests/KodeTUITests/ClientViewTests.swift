import Foundation
import KodeKernel
import KodeTUI
import Testing

/// The app's view of an agent built through the client API: from a window of the state, with
/// older pages on demand, the same as the full fold of the log showed.
@Suite struct ClientViewTests {
    static let script = #"""
        {"turns":[
          {"text":"planning first","tool_calls":[
            {"name":"todo_write","input":{"todos":[{"id":"1","title":"explore","status":"in_progress"}]}},
            {"name":"fs_glob","input":{"pattern":"*"}}]},
          {"text":"explored the folder"},
          {"tool_calls":[{"name":"bash_run","input":{"cmd":"echo hi"}}]},
          {"text":"ran it"}]}
        """#

    @Test func windowViewEqualsTheFullFoldOfTheLog() async throws {
        let store = InMemoryStore()
        let hub = try ClientFixtures.hub(script: Self.script, store: store)
        let handle = try await hub.create(ClientFixtures.config(.approval))
        try await ClientFixtures.turn(handle, "look around")
        try await ClientFixtures.turn(handle, "now run something", until: ClientFixtures.isApproval)
        let (model, since) = try await SessionLoader.model(for: handle, width: 120, height: 40, unicode: true, keymap: Keymap())

        // The old way: every record from the start through the view's folds.
        var conversation = ConversationModel()
        var approvals = ApprovalQueue()
        for record in try await store.records(of: handle.id, after: 0) {
            conversation.apply(record: record, agentId: handle.id)
            if let env = record.envelope(agentId: handle.id) { approvals.apply(env) }
        }
        #expect(model.conversation.items.map(\.kind) == conversation.items.map(\.kind))
        #expect(model.conversation.items.map(\.searchableText).joined().contains("explored the folder"))
        let shown = try #require(model.approvals.current)
        let folded = try #require(approvals.current)
        #expect(shown.callId == folded.callId)
        #expect(shown.inputPreview == folded.inputPreview)
        #expect(shown.alwaysPattern == folded.alwaysPattern)
        #expect(shown.reason == folded.reason)
        #expect(model.info.todos.map(\.title) == ["explore"])
        #expect(model.info.breakpoint == .awaitingApproval)
        #expect(since.seq == (try await handle.status()).lastSeq)
        #expect(model.monitor.entries.count == 1)  // the summary line; live events follow
        await handle.release(.detach)
    }

    @Test func scrollingBackPagesInOlderMessages() async throws {
        let turns = (0..<12).map { #"{"text":"reply \#($0)"}"# }.joined(separator: ",")
        let hub = try ClientFixtures.hub(script: #"{"turns":[\#(turns)]}"#)
        let handle = try await hub.create(ClientFixtures.config())
        for i in 0..<12 { try await ClientFixtures.turn(handle, "question \(i)") }
        var (model, _) = try await SessionLoader.model(for: handle, width: 100, height: 20, unicode: true, keymap: Keymap(), messages: 6)
        #expect(model.conversation.firstMessage == 18)
        #expect(model.conversation.items.count == 6)
        model.focus = .conversation
        var pages = 0
        while model.conversation.hasOlder {
            var effects: [Effect] = []
            for _ in 0..<40 where effects.isEmpty { effects = Update.apply(.input(.key(.pageUp)), to: &model) }
            guard case .loadOlder(let range)? = effects.first else {
                Issue.record("no page requested: \(effects)")
                return
            }
            #expect(model.conversation.loadingOlder)
            var canvas = Canvas(width: 100, height: 20)
            _ = Renderer.render(model, into: &canvas)
            #expect((0..<20).map { canvas.rowText($0) }.joined().contains("loading earlier messages"))
            let top = model.scroll.topItem
            _ = Update.apply(.olderLoaded(try await handle.transcript(range)), to: &model)
            #expect(!model.conversation.loadingOlder)
            #expect(model.scroll.follow || model.scroll.topItem > top)  // the same lines stay on screen
            pages += 1
        }
        #expect(pages >= 1)
        let texts = model.conversation.items.map(\.searchableText)
        #expect(texts.first == "question 0")
        #expect(texts.count == 24)
        #expect(Set(model.conversation.items.map(\.id)).count == 24)
        await handle.release(.leave)
    }
}

/// The run loop on a client handle: many clients, detach, hang-up.
@Suite struct ClientLoopTests {
    @Test func aDecisionThroughASecondHandleClosesTheModal() async throws {
        let hub = try ClientFixtures.hub(script: #"{"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"echo hi"}}]},{"text":"ran it"}]}"#)
        let first = try await hub.create(ClientFixtures.config(.approval))
        try await ClientFixtures.turn(first, "run something", until: ClientFixtures.isApproval)
        let second = try await hub.open(first.id, options: OpenOptions())
        let app = try await WatchedLoop.start(hub: hub, handle: first)
        let waiting = try #require(await app.wait { !$0.pending.isEmpty })
        try await second.decide(try #require(waiting.pending.first), .allow, note: nil, scope: .once, by: "second")
        let closed = try #require(await app.wait { $0.pending.isEmpty })
        #expect(closed.flash == "allowed by second")
        app.post(.action(.input(.key(.ctrl("d")))))
        let outcome = await app.outcome.value
        #expect(outcome.reason == .detach)
        #expect(outcome.handle.id == first.id)
        await second.release(.leave)
        await outcome.handle.release(.leave)
    }

    @Test func ctrlDOnAnEmptyComposerDetachesAndSignalsSayWhy() async throws {
        let hub = try ClientFixtures.hub(script: #"{"turns":[{"text":"hi"}]}"#)
        let handle = try await hub.create(ClientFixtures.config())
        var model = AppModel(info: SessionInfo(agentId: handle.id, provider: ProviderInfo(name: "s", model: "s")), width: 80, height: 24)
        model.composer.insert("draft")
        #expect(Update.apply(.input(.key(.ctrl("d"))), to: &model).isEmpty)  // text: Ctrl+D edits
        #expect(!model.quitting)

        let detached = try await WatchedLoop.start(hub: hub, handle: handle)
        detached.post(.action(.input(.key(.ctrl("d")))))
        #expect(await detached.outcome.value.reason == .detach)

        let hungUp = try await WatchedLoop.start(hub: hub, handle: handle)
        hungUp.post(.signal(SIGHUP))
        #expect(await hungUp.outcome.value.reason == .hangUp)

        let terminated = try await WatchedLoop.start(hub: hub, handle: handle)
        terminated.post(.signal(SIGTERM))
        #expect(await terminated.outcome.value.reason == .signal(SIGTERM))
        await handle.release(.leave)
    }

    @Test func aStreamThatEndsUnderTheAppIsAnnounced() async throws {
        let hub = try ClientFixtures.hub(script: #"{"turns":[{"text":"hi"}]}"#)
        let handle = try await hub.create(ClientFixtures.config())
        let app = try await WatchedLoop.start(hub: hub, handle: handle)
        _ = await app.wait { _ in true }  // the loop runs and follows the agent
        // Closing the agent under the app ends its stream, as a host going away for good does.
        await handle.release(.leave)
        let lost = try #require(await app.wait { $0.lostHost != nil })
        #expect(lost.flash?.contains("the agent's log is safe") == true)
        app.post(.action(.input(.key(.ctrl("d")))))
        #expect(await app.outcome.value.reason == .detach)
    }
}
