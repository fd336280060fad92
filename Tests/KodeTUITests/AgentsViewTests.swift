import Foundation
import KodeKernel
import KodeTUI
import Testing
import KodeTestSupport

/// The agents view: rows from a listing, titles arriving later, the filter, the keys.
@Suite struct AgentsViewTests {
    static func rows() -> [AgentRow] {
        let t = Fixtures.t0
        return [
            AgentRow(id: "agt_old", title: nil, activity: .stored, model: "anthropic/claude", created: t.addingTimeInterval(-7200), parent: nil),
            AgentRow(id: Fixtures.agentId, title: nil, activity: .running, model: "scripted/script", created: t.addingTimeInterval(-60), parent: nil),
            AgentRow(id: "agt_new", title: nil, activity: .waiting, model: "openai/gpt", created: t, parent: "agt_old"),
        ]
    }

    static func opened() -> AppModel {
        var m = Fixtures.model(width: 120, height: 30)
        _ = Update.apply(.input(.key(.ctrl("o"))), to: &m, now: Fixtures.t0)
        return m
    }

    static func view(_ m: AppModel) -> AgentsViewState? {
        if case .agents(let v)? = m.overlays.last { return v }
        return nil
    }

    @Test func aListingFillsTheViewNewestFirstAndAsksForTitles() throws {
        var m = Self.opened()
        #expect(try #require(Self.view(m)).loading)
        let effects = Update.apply(.agentsListed(Self.rows()), to: &m, now: Fixtures.t0)
        let v = try #require(Self.view(m))
        #expect(v.shown.map { v.rows[$0].id } == ["agt_new", Fixtures.agentId, "agt_old"])
        #expect(v.selected?.id == Fixtures.agentId, "the agent shown is selected")
        #expect(effects == [.agentDetails(["agt_new", Fixtures.agentId, "agt_old"])])
        _ = Update.apply(.agentDetail("agt_old", title: "tidy the repo", activity: .interrupted), to: &m, now: Fixtures.t0)
        let after = try #require(Self.view(m))
        #expect(after.rows.first { $0.id == "agt_old" }?.title == "tidy the repo")
        #expect(after.rows.first { $0.id == "agt_old" }?.activity == .interrupted)
        #expect(after.missingDetails == ["agt_new", Fixtures.agentId])
    }

    @Test func typingFiltersAndTheKeysSwitchOrStartAnAgent() throws {
        var m = Self.opened()
        _ = Update.apply(.agentsListed(Self.rows()), to: &m, now: Fixtures.t0)
        _ = Update.apply(.agentDetail("agt_old", title: "Tidy the repo", activity: nil), to: &m, now: Fixtures.t0)
        for c in "tidy" { _ = Update.apply(.input(.key(.char(c))), to: &m, now: Fixtures.t0) }
        var v = try #require(Self.view(m))
        #expect(v.shown.map { v.rows[$0].id } == ["agt_old"])
        #expect(Update.apply(.input(.key(.enter)), to: &m, now: Fixtures.t0) == [.open("agt_old")])
        #expect(m.overlays.isEmpty)

        m = Self.opened()
        _ = Update.apply(.agentsListed(Self.rows()), to: &m, now: Fixtures.t0)
        for c in "waiting" { _ = Update.apply(.input(.key(.char(c))), to: &m, now: Fixtures.t0) }
        v = try #require(Self.view(m))
        #expect(v.shown.map { v.rows[$0].id } == ["agt_new"], "the state is searchable")
        for _ in 0..<7 { _ = Update.apply(.input(.key(.backspace)), to: &m, now: Fixtures.t0) }
        #expect(try #require(Self.view(m)).shown.count == 3)
        #expect(Update.apply(.input(.key(.ctrl("a"))), to: &m, now: Fixtures.t0) == [.newAgent(prompt: nil)])
        m = Self.opened()
        _ = Update.apply(.input(.key(.esc)), to: &m, now: Fixtures.t0)
        #expect(m.overlays.isEmpty)
    }

    @Test func theViewShowsTitleStateModelAndAge() throws {
        var m = Self.opened()
        _ = Update.apply(.agentsListed(Self.rows()), to: &m, now: Fixtures.t0)
        _ = Update.apply(.agentDetail("agt_old", title: "tidy \u{1b}[31mthe repo", activity: nil), to: &m, now: Fixtures.t0)
        let canvas = Renderer.frame(m, now: Fixtures.t0).canvas
        let text = Screen.rows(of: canvas).joined(separator: "\n")
        #expect(text.contains("Agents (3 of 3)"))
        let old = try #require(text.split(separator: "\n").first { $0.contains("agt_old") })
        #expect(old.contains("tidy ␛[31mthe repo"), "a title is untrusted text: sanitized")
        #expect(old.contains("2h"))
        #expect(old.contains("anthropic/claude"))
        #expect(text.split(separator: "\n").contains { $0.contains("agt_new") && $0.contains("waiting for approval") })
        let fork = try #require(text.split(separator: "\n").first { $0.contains("agt_new") })
        #expect(fork.contains("fork of tidy ␛[31mthe repo"), "a fork names its parent by title, sanitized")
        #expect(!old.contains("fork of"))
        // A fork with its parent's title names the parent by id.
        _ = Update.apply(.agentDetail("agt_new", title: "tidy \u{1b}[31mthe repo", activity: nil), to: &m, now: Fixtures.t0)
        let same = try #require(Screen.rows(of: Renderer.frame(m, now: Fixtures.t0).canvas).first { $0.contains("agt_new") })
        #expect(same.contains("fork of agt_old"))
    }

    @Test func titlesComeFromTheFirstPrompt() {
        var state = AgentState(id: "agt_x")
        #expect(AgentRow.title(from: state) == nil)
        state.messages = [Message(id: "m1", role: .user, content: [.text("  fix the build\nit fails on linux")])]
        #expect(AgentRow.title(from: state) == "fix the build")
    }
}
