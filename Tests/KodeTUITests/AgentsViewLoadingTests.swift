import Foundation
import KodeKernel
import KodeTUI
import KodeTestSupport
import Testing

/// The agents view takes each agent's details (title, stored state) as they are read, one at a
/// time: each finds its row by id and touches that row only, so loading a thousand agents is
/// linear, and the view ends as one that had every detail from the start.
@Suite struct AgentsViewLoadingTests {
    static let count = 1_000

    static func id(_ i: Int) -> AgentID { String(format: "agt_load%06d", i) }

    static func rows(detailed: Bool) -> [AgentRow] {
        (0..<count).map { i in
            AgentRow(id: id(i), title: detailed ? title(i) : nil, activity: detailed ? activity(i) : .stored,
                     model: i % 2 == 0 ? "scripted/script" : "demo/demo-1", created: Fixtures.t0.addingTimeInterval(Double(-i)), parent: nil)
        }
    }

    static func title(_ i: Int) -> String { i % 3 == 0 ? "fix the build \(i)" : "tidy the repo \(i)" }
    static func activity(_ i: Int) -> AgentActivity { i % 5 == 0 ? .interrupted : .idle }

    static func view(_ m: AppModel) throws -> AgentsViewState {
        guard case .agents(let v)? = m.overlays.last else { return try #require(nil as AgentsViewState?, "the agents view is open") }
        return v
    }

    static func opened(_ rows: [AgentRow], query: String) -> AppModel {
        var m = Fixtures.model(width: 120, height: 40)
        _ = Update.apply(.input(.key(.ctrl("o"))), to: &m, now: Fixtures.t0)
        _ = Update.apply(.agentsListed(rows), to: &m, now: Fixtures.t0)
        for c in query { _ = Update.apply(.input(.key(.char(c))), to: &m, now: Fixtures.t0) }
        return m
    }

    @Test(arguments: ["", "build"])
    func eachDetailTouchesOneRowAndTheViewEndsAsIfLoadedAtOnce(_ query: String) throws {
        var m = Self.opened(Self.rows(detailed: false), query: query)
        var work = try Self.view(m).rowWork.value
        var most = 0
        // Details arrive in an order other than the list's.
        for k in 0..<Self.count {
            let i = (k * 379) % Self.count
            _ = Update.apply(.agentDetail(Self.id(i), title: Self.title(i), activity: Self.activity(i)), to: &m, now: Fixtures.t0)
            let now = try Self.view(m).rowWork.value
            most = max(most, now - work)
            work = now
        }
        #expect(most <= 2, "a detail touched \(most) rows of \(Self.count)")
        let loaded = try Self.view(m)
        #expect(loaded.missingDetails.isEmpty)
        let reference = Self.opened(Self.rows(detailed: true), query: query)
        let want = try Self.view(reference)
        #expect(loaded.rows == want.rows)
        #expect(loaded.shown == want.shown)
        #expect(loaded.selection == want.selection)
        #expect(loaded.shown.count == (query.isEmpty ? Self.count : (Self.count + 2) / 3))
        #expect(Screen.text(m, now: Fixtures.t0) == Screen.text(reference, now: Fixtures.t0))
    }

    @Test func aRenameMovesOneRowInOrOutOfTheFilter() throws {
        var m = Self.opened(Self.rows(detailed: true), query: "build")
        let before = try Self.view(m)
        let work = before.rowWork.value
        _ = Update.apply(.renamed(Self.id(3), title: "tidy up"), to: &m, now: Fixtures.t0)
        _ = Update.apply(.renamed(Self.id(4), title: "build the docs"), to: &m, now: Fixtures.t0)
        let after = try Self.view(m)
        #expect(after.rowWork.value - work <= 4)
        #expect(!after.shown.map { after.rows[$0].id }.contains(Self.id(3)))
        #expect(after.shown.map { after.rows[$0].id }.contains(Self.id(4)))
        #expect(after.shown == after.shown.sorted(), "shown stays in list order")
        #expect(after.shown.count == before.shown.count)
    }
}
