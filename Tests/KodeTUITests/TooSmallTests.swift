import Foundation
import KodeKernel
@testable import KodeTUI
import Testing
import KodeTestSupport

/// While the terminal is too small the screen shows only that: no key but the global ones may
/// act, and a modal that comes back into view is guarded as if it had just appeared.
@Suite struct TooSmallTests {
    @Test func aHiddenApprovalModalIgnoresKeysAndIsGuardedAgainWhenShown() {
        let c = Fixtures.Clock()
        var m = Fixtures.model(width: 120, height: 36)
        let shown = Date()
        m.apply(Fixtures.permission(c, "toolu_0_0", "bash_run", .object(["cmd": .string("echo hi")]), preview: "$ echo hi"), now: shown)
        #expect(m.modalVisible)

        _ = Update.apply(.resize(width: 20, height: 5), to: &m, now: shown)
        #expect(Update.apply(.input(.key(.char("y"))), to: &m, now: shown.addingTimeInterval(1)) == [], "answered unseen")
        _ = Update.apply(.input(.key(.char("x"))), to: &m, now: shown.addingTimeInterval(1))
        #expect(m.composer.text.isEmpty, "typed into a hidden composer")
        #expect(m.approvals.current?.callId == "toolu_0_0")

        // Back in view: a key at once is ignored (the guard), one after the guard answers.
        let back = shown.addingTimeInterval(2)
        _ = Update.apply(.resize(width: 120, height: 36), to: &m, now: back)
        #expect(Update.apply(.input(.key(.char("y"))), to: &m, now: back.addingTimeInterval(0.05)) == [])
        #expect(Update.apply(.input(.key(.char("y"))), to: &m, now: back.addingTimeInterval(0.3))
                == [.decide(callId: "toolu_0_0", decision: .allow, note: nil, scope: .once)])
    }

    @Test func atTheSmallestSizeTheStatusLineOpensWithTheStateNotASeparator() throws {
        for unicode in [true, false] {
            let m = Fixtures.model(width: LayoutPlan.minWidth, height: LayoutPlan.minHeight, unicode: unicode)
            let status = try #require(Screen.rows(m, now: Fixtures.t0).last)
            #expect(status.hasPrefix(" READY"), "\(status)")
            #expect(!status.contains(m.info.agentId), "the agent id did not fit and was dropped")
        }
        // Wide enough for the agent, the separator stays between it and the state.
        let wide = try #require(Screen.rows(Fixtures.model(width: 80, height: 24), now: Fixtures.t0).last)
        #expect(wide.contains(" │ READY"))
    }
}
