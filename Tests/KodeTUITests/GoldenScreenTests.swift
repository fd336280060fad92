import Foundation
import KodeKernel
import Testing
import KodeTUI
import KodeTestSupport

/// Whole screens from the in-memory backend, compared with `Golden/*.txt`.
@Suite struct GoldenScreenTests {
    static func approvals(_ m: inout AppModel, _ c: Fixtures.Clock) {
        m.apply(Fixtures.permission(c, "call_1", "bash_run", .object(["cmd": .string("git push --force origin main")]), preview: "$ git push --force origin main"), now: c.time)
        m.apply(Fixtures.permission(c, "call_2", "fs_write", .object(["path": .string("notes.md"), "content": .string("# Notes\nline two\n")]), preview: "notes.md (3 lines)"), now: c.time)
        m.apply(Fixtures.permission(c, "call_3", "fs_edit", .object(["path": .string("src/main.swift"), "old_string": .string("print(1)"), "new_string": .string("print(2)\nprint(3)")]), preview: "src/main.swift"), now: c.time)
    }

    static func tree(_ m: inout AppModel) {
        let t = Fixtures.t0
        func cp(_ seq: UInt64, _ label: String?, _ preview: String, _ n: Int) -> Checkpoint {
            Checkpoint(id: "cp_\(seq)", seq: seq, label: label, time: t.addingTimeInterval(Double(seq)), preview: preview, messageCount: n)
        }
        m.tree.current = Fixtures.agentId
        m.tree.load([
            AgentNode(id: Fixtures.agentId, parent: nil, created: t, model: "scripted/script", checkpoints: [cp(3, nil, "Please tidy the repo", 1), cp(9, "before-cleanup", "fs_read answered", 3), cp(15, nil, "write the summary", 5)]),
            AgentNode(id: "agt_child0000000000001", parent: ParentRef(agentId: Fixtures.agentId, seq: 9), created: t.addingTimeInterval(60), model: "scripted/script", checkpoints: nil),
            AgentNode(id: "agt_other0000000000002", parent: nil, created: t.addingTimeInterval(120), model: "demo/demo-1", checkpoints: nil),
        ])
        m.tree.select(agent: Fixtures.agentId)
        m.tree.moveDown()
        m.tree.moveDown()
    }

    @Test func approvalModalWithAQueueOfThree() throws {
        let c = Fixtures.Clock()
        var m = Fixtures.model(width: 80, height: 24)
        m.conversation.addUser("clean up and push", inputId: "in_1", queued: false, at: c.time)
        Self.approvals(&m, c)
        _ = Update.apply(.input(.key(.char("]"))), to: &m, now: c.time.addingTimeInterval(1))
        let screen = Screen.text(m, now: c.time.addingTimeInterval(1))
        #expect(screen.contains("Approval 2/3"))
        #expect(screen.contains("fs_write(*)"))
        try Golden.check("approval-queue-80x24", screen)
    }

    @Test func expandedInputScrollsThroughALongWrite() throws {
        let c = Fixtures.Clock()
        var m = Fixtures.model(width: 80, height: 24)
        let body = (1...60).map { "line \($0)" }.joined(separator: "\n")
        m.apply(Fixtures.permission(c, "w1", "fs_write", .object(["path": .string("big.txt"), "content": .string(body)]), preview: "big.txt (60 lines)"), now: c.time)
        let later = c.time.addingTimeInterval(1)
        _ = Update.apply(.input(.key(.char("e"))), to: &m, now: later)
        let top = Screen.text(m, now: later)
        #expect(top.contains("line 1"))
        #expect(top.contains("more lines (↓/PgDn)"))
        #expect(!top.contains("line 60"))
        for _ in 0..<20 { _ = Update.apply(.input(.key(.pageDown)), to: &m, now: later) }
        let bottom = Screen.text(m, now: later)
        #expect(bottom.contains("line 60"), "PgDn reaches the end")
        #expect(bottom.contains("above (↑/PgUp)"))
        #expect(m.approvals.inputScroll == ApprovalModal.expandedOverflow(m), "scrolling stops at the end")
        _ = Update.apply(.input(.key(.up)), to: &m, now: later)
        #expect(m.approvals.inputScroll == ApprovalModal.expandedOverflow(m) - 1)
        _ = Update.apply(.input(.key(.char("e"))), to: &m, now: later)
        #expect(m.approvals.inputScroll == 0, "collapsing resets the scroll")
    }

    @Test func monitorTabAt80x24() throws {
        let c = Fixtures.Clock()
        var m = Fixtures.model(width: 80, height: 24)
        for e: AgentEvent in [
            .stateChanged(StateChangedEvent(from: .ready, to: .working)),
            .breakpointChanged(BreakpointChangedEvent(from: .ready, to: .preModel)),
            .tokenUsage(TokenUsageEvent(usage: TokenUsage(input: 1200, output: 340), total: TokenUsage(input: 1200, output: 340), costUSD: 0.0042, totalCostUSD: 0.0042)),
            .toolExecuted(ToolExecutedEvent(callId: "c1", name: "bash_run", state: .completed, durationMs: 812, approval: "allow:user", inputPreview: "$ ls", outputBytes: 120, isError: false)),
            .error(ErrorEvent(phase: .model, severity: .warning, message: "rate limited, retrying in 2s")),
            .agentResumed(AgentResumedEvent(breakpoint: .toolExecuting, sealedCalls: ["c9"], discardedPartialBytes: 0, pendingApprovals: [], runnableCalls: [], turnInterrupted: true)),
        ] { m.apply(c.env(e), now: c.time) }
        m.focus = .monitor
        let screen = Screen.text(m, now: c.time)
        #expect(screen.contains("Monitor"))
        try Golden.check("monitor-80x24", screen)
        _ = Update.apply(.input(.key(.char("l"))), to: &m, now: c.time)
        _ = Update.apply(.input(.key(.char("l"))), to: &m, now: c.time)
        let tools = Screen.text(m, now: c.time)
        #expect(tools.contains("bash_run completed"))
        #expect(!tools.contains("breakpoint READY"))
    }

    @Test func checkpointTreeWide() throws {
        let c = Fixtures.Clock()
        var m = Fixtures.model(width: 120, height: 30)
        Fixtures.richTranscript(&m, c)
        Self.tree(&m)
        m.focus = .tree
        let screen = Screen.text(m, now: c.time.addingTimeInterval(3))
        #expect(screen.contains("before-cleanup"))
        #expect(screen.contains("agt_child0000000000001"))
        try Golden.check("checkpoint-tree-120x30", screen)
    }

    @Test func mainScreen80x24() throws {
        let c = Fixtures.Clock()
        var m = Fixtures.model(width: 80, height: 24, demo: true)
        Fixtures.richTranscript(&m, c)
        try Golden.check("main-80x24", Screen.text(m, now: c.time.addingTimeInterval(3)))
    }

    @Test func mainScreen200x60() throws {
        let c = Fixtures.Clock()
        var m = Fixtures.model(width: 200, height: 60)
        Fixtures.richTranscript(&m, c)
        Self.tree(&m)
        for e: AgentEvent in [.stateChanged(StateChangedEvent(from: .ready, to: .working)), .breakpointChanged(BreakpointChangedEvent(from: .ready, to: .toolExecuting))] {
            m.apply(c.env(e), now: c.time)
        }
        m.composer.insert("and then run the tests 🧪")
        try Golden.check("main-200x60", Screen.text(m, now: c.time.addingTimeInterval(3)))
    }

    @Test func narrowLayouts() throws {
        let c = Fixtures.Clock()
        var m = Fixtures.model(width: 50, height: 20)
        Fixtures.richTranscript(&m, c)
        try Golden.check("narrow-50x20", Screen.text(m, now: c.time.addingTimeInterval(3)))
        m.width = 70
        m.focus = .tree
        Self.tree(&m)
        try Golden.check("tabs-70x20-tree", Screen.text(m, now: c.time.addingTimeInterval(3)))
        m.width = 25
        m.height = 8
        let small = Screen.text(m, now: c.time)
        #expect(small.contains("Terminal too small"))
    }

    @Test func helpOverlayAt100x40() throws {
        var m = Fixtures.model(width: 100, height: 40)
        m.focus = .conversation
        _ = Update.apply(.input(.key(.char("?"))), to: &m, now: Fixtures.t0)
        let screen = Screen.text(m, now: Fixtures.t0)
        #expect(screen.contains("interrupt the turn; twice within 1.5 s quits"))
        try Golden.check("help-100x40", screen)
    }
}
