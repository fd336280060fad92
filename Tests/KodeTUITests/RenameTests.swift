import Foundation
import KodeKernel
import KodeTUI
import Testing
import KodeTestSupport

/// Renaming agents: the durable title under the client API, the snapshot, the slash command,
/// the agents view's key and prompt, what every view draws, and the run loop renaming the
/// agent shown and another one.
@Suite struct RenameTests {
    static func renamedEvents(_ events: AgentEvents) async -> AgentRenamedEvent? {
        let e = await ClientFixtures.next(events) { if case .agentRenamed = $0.event { return true } else { return false } }
        if case .agentRenamed(let r)? = e?.event { return r }
        return nil
    }

    @Test func aTitleIsDurableSeenByEveryClientAndRemovable() async throws {
        let store = InMemoryStore()
        let hub = try ClientFixtures.hub(script: #"{"turns":[{"text":"a"}]}"#, store: store)
        let handle = try await hub.create(ClientFixtures.config())
        #expect(try await handle.status().title == nil, "no prompt, no title")
        try await ClientFixtures.turn(handle, "  fix the login bug\nit fails after a redirect")
        #expect(try await handle.status().title == "fix the login bug", "the first prompt names it")

        let second = try await hub.open(handle.id, options: OpenOptions())
        let events = try await second.subscribe(since: nil)
        let stored = try await handle.rename(to: "  Login work ", by: "user")
        #expect(stored == "Login work", "trimmed")
        let seen = await Self.renamedEvents(events)
        #expect(seen == AgentRenamedEvent(title: "Login work", by: "user"), "another client sees the rename")
        events.cancel()
        #expect(try await second.status().title == "Login work")
        #expect(try await handle.window(messages: 1).state.title == "Login work")
        await second.release(.leave)

        let id = handle.id
        await handle.release(.leave)
        #expect(try await hub.state(of: id, at: nil).state.title == "Login work", "read from the log")
        #expect(try await hub.list().first { $0.manifest.id == id }?.live == nil)
        let reopened = try await hub.open(id, options: OpenOptions())
        #expect(try await reopened.status().title == "Login work", "kept when opened again")
        #expect(try await reopened.rename(to: "   ", by: "cli") == nil, "a blank title removes it")
        #expect(try await reopened.status().title == "fix the login bug")
        await reopened.release(.leave)
        #expect(try await hub.state(of: id, at: nil).state.title == nil)
    }

    @Test func titlesOfMoreThanOneLineOrTooLongAreRefused() async throws {
        let hub = try ClientFixtures.hub(script: #"{"turns":[{"text":"a"}]}"#)
        let handle = try await hub.create(ClientFixtures.config())
        for bad in ["two\nlines", String(repeating: "x", count: AgentTitle.maxLength + 1)] {
            do {
                _ = try await handle.rename(to: bad, by: "user")
                Issue.record("accepted \(bad.debugDescription)")
            } catch let AgentError.invalidTitle(reason) {
                #expect(reason.hasPrefix("a title is"), "\(reason)")
            }
        }
        #expect(try await handle.rename(to: String(repeating: "y", count: AgentTitle.maxLength), by: "user")?.count == AgentTitle.maxLength)
        #expect(try await handle.state().checkpoints.isEmpty, "a rename is not a fork point")
        await handle.release(.leave)
    }

    @Test func theSnapshotKeepsTheTitleAndReadsOnesWrittenBeforeTitles() throws {
        var state = AgentState(id: "agt_snap")
        state.title = "a \u{1b}[31mtitle"
        #expect(try AgentState.decode(state.encoded()).title == "a \u{1b}[31mtitle")
        // Before titles the settings section ended after the model override: with none, its
        // length was 1 (the override's absent flag). The same state without a title, cut so.
        // Titles came in version 2, whose settings section was then the last: drop the empty
        // schedule section of version 3 (u64 length 20, three empty lists, the model-call
        // count) and read the rest as version 2.
        state.title = nil
        var bytes = [UInt8](try state.encoded())
        let schedule = 8 + 20
        #expect(Array(bytes.suffix(schedule + 10).prefix(10)) == [2, 0, 0, 0, 0, 0, 0, 0, 0, 0], "settings: length 2, no override, no title")
        bytes.removeLast(schedule + 10)
        bytes += [1, 0, 0, 0, 0, 0, 0, 0, 0]
        bytes[8] = 2
        let old = try AgentState.decode(Data(bytes))
        #expect(old.title == nil && old.id == "agt_snap")
    }

    @Test func theSlashCommandRenamesOrOpensThePrompt() throws {
        var m = Fixtures.model(width: 120, height: 30)
        #expect(SlashCommandTests.typed("/rename  Login work ", &m) == [.rename(agent: Fixtures.agentId, title: "Login work")])
        m.info.title = "old name"
        #expect(SlashCommandTests.typed("/rename", &m).isEmpty)
        guard case .rename(let agent, let text)? = m.overlays.last else { Issue.record("no prompt"); return }
        #expect(agent == Fixtures.agentId && text == "old name")
        let frame = Renderer.frame(m, now: Fixtures.t0).canvas
        #expect(frame.rowText(frame.height - 1).contains("title for \(Fixtures.agentId): old name"))
        for _ in 0..<4 { _ = Update.apply(.input(.key(.backspace)), to: &m, now: Fixtures.t0) }
        for c in "tale" { _ = Update.apply(.input(.key(.char(c))), to: &m, now: Fixtures.t0) }
        #expect(Update.apply(.input(.key(.enter)), to: &m, now: Fixtures.t0) == [.rename(agent: Fixtures.agentId, title: "old tale")])
        #expect(m.overlays.isEmpty)
    }

    @Test func theAgentsViewRenamesTheSelectedRowAndShowsTheNewTitleSanitized() throws {
        var m = AgentsViewTests.opened()
        _ = Update.apply(.agentsListed(AgentsViewTests.rows()), to: &m, now: Fixtures.t0)
        _ = Update.apply(.agentDetail("agt_old", title: "tidy the repo", activity: nil), to: &m, now: Fixtures.t0)
        _ = Update.apply(.input(.key(.down)), to: &m, now: Fixtures.t0)
        #expect(AgentsViewTests.view(m)?.selected?.id == "agt_old")
        #expect(Update.apply(.input(.key(.ctrl("r"))), to: &m, now: Fixtures.t0).isEmpty)
        guard case .rename(let agent, let text)? = m.overlays.last else { Issue.record("no prompt"); return }
        #expect(agent == "agt_old" && text == "tidy the repo")
        #expect(m.overlays.count == 2, "the view stays under the prompt")
        for c in "!" { _ = Update.apply(.input(.key(.char(c))), to: &m, now: Fixtures.t0) }
        #expect(Update.apply(.input(.key(.enter)), to: &m, now: Fixtures.t0) == [.rename(agent: "agt_old", title: "tidy the repo!")])

        _ = Update.apply(.renamed("agt_old", title: "Tidy \u{1b}]0;pwned\u{07} repo"), to: &m, now: Fixtures.t0)
        let canvas = Renderer.frame(m, now: Fixtures.t0).canvas
        let row = try #require(Screen.rows(of: canvas).first { $0.contains("agt_old") })
        #expect(row.contains("Tidy ␛]0;pwned\\x07 repo"), "\(row)")
        #expect(m.flash?.contains("agt_old is now named") == true)
        #expect(m.flash?.contains("\u{1b}") == false)
    }

    @Test func everyViewOfTheAgentFollowsARenameMadeAnywhere() {
        var m = Fixtures.model(width: 120, height: 30)
        let c = Fixtures.Clock()
        _ = Update.apply(.event(c.env(.agentRenamed(AgentRenamedEvent(title: "Login \u{1b}[2J work", by: "cli")))), to: &m, now: Fixtures.t0)
        #expect(m.info.title == "Login \u{1b}[2J work")
        let canvas = Renderer.frame(m, now: Fixtures.t0).canvas
        #expect(canvas.rowText(0).contains("Conversation · Login ␛[2J work"), "\(canvas.rowText(0))")
        #expect(m.monitor.entries.last?.text == "renamed \"Login ␛[2J work\" (by cli)")
        _ = Update.apply(.event(c.env(.agentRenamed(AgentRenamedEvent(title: nil, by: "user")))), to: &m, now: Fixtures.t0)
        #expect(m.info.title == nil)
        #expect(!Renderer.frame(m, now: Fixtures.t0).canvas.rowText(0).contains("·"))
        #expect(m.monitor.entries.last?.text == "title removed (by user)")
    }

    @Test func theRunLoopRenamesTheAgentShownAndAnotherWithoutTakingItOver() async throws {
        let hub = try ClientFixtures.hub(script: #"{"turns":[{"text":"a"},{"text":"b"}]}"#)
        let other = try await hub.create(ClientFixtures.config())
        let otherId = other.id
        await other.release(.leave)
        let handle = try await hub.create(ClientFixtures.config())
        let loop = try await WatchedLoop.start(hub: hub, handle: handle)
        func type(_ text: String) { for c in text { loop.post(.action(.input(.key(.char(c))))) } }
        func key(_ k: Key) { loop.post(.action(.input(.key(k)))) }

        type("/rename shown one")
        key(.enter)
        #expect(await loop.wait { $0.flash?.contains("is now named \"shown one\"") == true } != nil)
        #expect(try await handle.status().title == "shown one")
        #expect(await loop.wait { $0.title == "shown one" } != nil, "the rename came back as an event")

        // The agents view: the other agent is older, so it is the row below the one shown.
        key(.ctrl("o"))
        #expect(await loop.wait { $0.agentRows.count == 2 } != nil)
        key(.down)
        key(.ctrl("r"))
        #expect(await loop.wait { $0.prompt == "" } != nil)
        type("the other")
        key(.enter)
        #expect(await loop.wait { $0.flash?.contains("\(otherId) is now named \"the other\"") == true } != nil)
        #expect(await loop.wait { $0.agentRows.contains { $0.id == otherId && $0.title == "the other" } } != nil)
        #expect(try await hub.state(of: otherId, at: nil).state.title == "the other")
        #expect(try await hub.list().first { $0.manifest.id == otherId }?.live == nil, "let go after the call")
        key(.esc)
        key(.ctrl("c"))
        key(.ctrl("c"))
        let outcome = await loop.outcome.value
        #expect(outcome.handle.id == handle.id, "the agent shown did not change")
        await outcome.handle.release(.leave)
    }
}
