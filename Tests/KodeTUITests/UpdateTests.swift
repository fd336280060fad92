import Foundation
import KodeKernel
import Testing
import KodeTUI
import KodeTestSupport

@Suite struct UpdateTests {
    @Test func ctrlCInterruptsThenASecondWithinTheWindowQuits() {
        var m = Fixtures.model(width: 100, height: 30)
        m.info.state = .working
        let t = Fixtures.t0
        #expect(Update.apply(.input(.key(.ctrl("c"))), to: &m, now: t) == [.interrupt])
        #expect(!m.quitting)
        #expect(Update.apply(.input(.key(.ctrl("c"))), to: &m, now: t.addingTimeInterval(1.0)) == [.quit])
        #expect(m.quitting)
        var late = Fixtures.model(width: 100, height: 30)
        _ = Update.apply(.input(.key(.ctrl("c"))), to: &late, now: t)
        #expect(Update.apply(.input(.key(.ctrl("c"))), to: &late, now: t.addingTimeInterval(2)) != [.quit])
    }

    @Test func pasteNeverSubmits() {
        var m = Fixtures.model(width: 100, height: 30)
        let effects = Update.apply(.input(.paste("line 1\nline 2\n")), to: &m, now: Fixtures.t0)
        #expect(effects.isEmpty)
        #expect(m.composer.text == "line 1\nline 2\n")
        #expect(Update.apply(.input(.key(.enter)), to: &m, now: Fixtures.t0) == [.send("line 1\nline 2\n")])
        #expect(m.composer.text.isEmpty)
    }

    @Test func inputWhileWorkingIsQueuedAndShownAsQueued() {
        let c = Fixtures.Clock()
        var m = Fixtures.model(width: 100, height: 30)
        m.apply(c.env(.stateChanged(StateChangedEvent(from: .ready, to: .working))), now: c.time)
        m.composer.insert("also do X")
        #expect(Update.apply(.input(.key(.enter)), to: &m, now: c.time) == [.send("also do X")])
        _ = Update.apply(.sent(inputId: "in_9", text: "also do X"), to: &m, now: c.time)
        #expect(Screen.lines(m, now: c.time).joined().contains("queued"))
        m.apply(c.env(.done(DoneEvent(bookmark: Bookmark(seq: 9, timestamp: c.time), reason: .completed, inputIds: ["in_9"]))), now: c.time)
        #expect(!Screen.lines(m, now: c.time).joined().contains("queued:"))
    }

    @Test func projectScopedDecisionsFromTheModal() {
        let c = Fixtures.Clock()
        var m = Fixtures.model(width: 100, height: 30)
        let shown = Date()
        m.apply(Fixtures.permission(c, "p1", "bash_run", .object(["cmd": .string("make")]), preview: "$ make"), now: shown)
        m.apply(Fixtures.permission(c, "p2", "bash_run", .object(["cmd": .string("rm -rf build")]), preview: "$ rm -rf build"), now: shown)
        #expect(Screen.lines(m, now: shown.addingTimeInterval(0.3)).joined().contains("always allow / deny for this project"))
        #expect(Update.apply(.input(.key(.char("p"))), to: &m, now: shown.addingTimeInterval(0.3)) == [.decide(callId: "p1", decision: .allow, note: nil, scope: .project)])
        _ = Update.apply(.input(.key(.char("]"))), to: &m, now: shown.addingTimeInterval(0.4))
        #expect(Update.apply(.input(.key(.char("D"))), to: &m, now: shown.addingTimeInterval(0.5)) == [.decide(callId: "p2", decision: .deny, note: nil, scope: .project)])
    }

    @Test func approvalKeysWithActivationGuard() {
        let c = Fixtures.Clock()
        var m = Fixtures.model(width: 100, height: 30)
        let shown = Date()
        m.apply(Fixtures.permission(c, "a1", "bash_run", .object(["cmd": .string("ls")]), preview: "$ ls"), now: shown)
        m.apply(Fixtures.permission(c, "a2", "bash_run", .object(["cmd": .string("pwd")]), preview: "$ pwd"), now: shown)
        // A key within 250 ms of the modal appearing is ignored (held from the composer).
        #expect(Update.apply(.input(.key(.char("y"))), to: &m, now: shown.addingTimeInterval(0.1)).isEmpty)
        #expect(Update.apply(.input(.key(.char("y"))), to: &m, now: shown.addingTimeInterval(0.3)) == [.decide(callId: "a1", decision: .allow, note: nil, scope: .once)])
        #expect(Update.apply(.input(.key(.char("]"))), to: &m, now: shown.addingTimeInterval(0.4)).isEmpty)
        #expect(m.approvals.current?.callId == "a2")
        #expect(Update.apply(.input(.key(.char("a"))), to: &m, now: shown.addingTimeInterval(0.5)) == [.decide(callId: "a2", decision: .allow, note: nil, scope: .always)])
        // n, then a note, then Enter.
        #expect(Update.apply(.input(.key(.char("n"))), to: &m, now: shown.addingTimeInterval(0.6)).isEmpty)
        for ch in "use ls -la" { _ = Update.apply(.input(.key(.char(ch))), to: &m, now: shown.addingTimeInterval(0.7)) }
        #expect(Update.apply(.input(.key(.enter)), to: &m, now: shown.addingTimeInterval(0.8)) == [.decide(callId: "a2", decision: .deny, note: "use ls -la", scope: .once)])
        // Deciding the shown request brings the next one up and arms the guard again.
        m.apply(c.env(.permissionDecided(PermissionDecidedEvent(callId: "a2", decision: .deny, decidedBy: "user", note: nil, scope: .once))), now: shown.addingTimeInterval(1))
        #expect(m.approvals.pending.map(\.callId) == ["a1"])
        #expect(Update.apply(.input(.key(.char("y"))), to: &m, now: shown.addingTimeInterval(1.1)).isEmpty)
    }

    @Test func escClosesTheTopOverlayElseInterrupts() {
        var m = Fixtures.model(width: 100, height: 30)
        m.info.state = .working
        _ = Update.apply(.input(.key(.function(1))), to: &m, now: Fixtures.t0)
        #expect(m.overlays.count == 1)
        #expect(Update.apply(.input(.key(.esc)), to: &m, now: Fixtures.t0).isEmpty)
        #expect(m.overlays.isEmpty)
        #expect(Update.apply(.input(.key(.esc)), to: &m, now: Fixtures.t0) == [.interrupt])
    }

    @Test func focusCyclesAndQuestionMarkIsTextInTheComposer() {
        var m = Fixtures.model(width: 100, height: 30)
        _ = Update.apply(.input(.key(.char("?"))), to: &m, now: Fixtures.t0)
        #expect(m.composer.text == "?")
        #expect(m.overlays.isEmpty)
        _ = Update.apply(.input(.key(.tab)), to: &m, now: Fixtures.t0)
        #expect(m.focus == .conversation)
        _ = Update.apply(.input(.key(.backTab)), to: &m, now: Fixtures.t0)
        #expect(m.focus == .composer)
        _ = Update.apply(.input(.key(.ctrl("t"))), to: &m, now: Fixtures.t0)
        #expect(m.focus == .tree)
    }

    @Test func treeForkNeedsConfirmationWithY() {
        var m = Fixtures.model(width: 120, height: 30)
        GoldenScreenTests.tree(&m)
        m.focus = .tree
        m.tree.select(agent: Fixtures.agentId)
        m.tree.moveDown()  // first checkpoint
        #expect(Update.apply(.input(.key(.enter)), to: &m, now: Fixtures.t0).isEmpty)
        guard case .confirmFork(let agent, let cp, .copy)? = m.overlays.last else {
            Issue.record("no confirmation")
            return
        }
        #expect(agent == Fixtures.agentId)
        let effects = Update.apply(.input(.key(.char("y"))), to: &m, now: Fixtures.t0)
        #expect(effects == [.fork(agent: Fixtures.agentId, checkpoint: cp, previous: m.tree.checkpoint(before: cp!, of: Fixtures.agentId), workspace: .copy)])
        // Any other key cancels.
        _ = Update.apply(.input(.key(.enter)), to: &m, now: Fixtures.t0)
        #expect(Update.apply(.input(.key(.char("q"))), to: &m, now: Fixtures.t0).isEmpty)
        #expect(m.overlays.isEmpty)
    }

    @Test func anExpandedForkWithoutCheckpointsSaysSoAndCanStillBeForked() throws {
        var m = Fixtures.model(width: 120, height: 30)
        GoldenScreenTests.tree(&m)
        m.focus = .tree
        let child = "agt_child0000000000001"
        m.tree.select(agent: child)
        #expect(Update.apply(.input(.key(.right)), to: &m, now: Fixtures.t0) == [.loadCheckpoints(child)])
        _ = Update.apply(.checkpointsLoaded(child, []), to: &m, now: Fixtures.t0)
        let row = try #require(m.tree.rows.firstIndex { $0.kind == .agent(child) })
        #expect(m.tree.rows[row + 1].kind == .noCheckpoints(child))
        m.tree.moveDown()
        #expect(m.tree.selectedAgent == child)
        let screen = Screen.text(m, now: Fixtures.t0)
        #expect(screen.contains("no checkpoints of its own yet"))
        _ = Update.apply(.input(.key(.enter)), to: &m, now: Fixtures.t0)
        guard case .confirmFork(child, nil, _)? = m.overlays.last else {
            Issue.record("forking the hint row forks the agent as it is: \(m.overlays)")
            return
        }
    }

    @Test func theMonitorWrapsLongEntriesOnRequestAndCutsThemOtherwise() throws {
        var m = Fixtures.model(width: 120, height: 30)
        let long = "tool bash_run failed: " + (1...30).map { "word\($0)" }.joined(separator: " ") + " end-of-entry"
        m.monitor.note("short one", role: .text, category: .state, at: Fixtures.t0)
        m.monitor.note(long, role: .error, at: Fixtures.t0)
        m.focus = .monitor
        let monitor = try #require(MouseTests.plan(m).monitor)
        let pane: (AppModel) -> [String] = { model in
            Screen.rows(model, now: Fixtures.t0)[monitor.y..<monitor.maxY].map { row in
                let chars = Array(row)
                return String(chars[min(monitor.x, chars.count)..<min(monitor.maxX, chars.count)])
            }
        }
        #expect(!pane(m).joined().contains("end-of-entry"), "cut at the edge by default")
        _ = Update.apply(.input(.key(.char("w"))), to: &m, now: Fixtures.t0)
        #expect(m.monitor.wrap)
        let wrapped = pane(m)
        #expect(wrapped.joined(separator: " ").contains("end-of-entry"), "wrapped: the whole entry shows")
        let first = try #require(wrapped.firstIndex { $0.contains("tool bash_run failed") })
        #expect(wrapped.firstIndex { $0.contains("short one") } == first - 1, "the entry before it stays just above")
        #expect(wrapped[first + 1].dropFirst().hasPrefix("         "), "a continuation is indented past the clock (inside the border)")
        _ = Update.apply(.input(.key(.char("w"))), to: &m, now: Fixtures.t0)
        #expect(!pane(m).joined().contains("end-of-entry"))
    }

    @Test func searchFindsAndSelectsAnEntry() {
        var m = Fixtures.model(width: 100, height: 20)
        for i in 0..<200 { m.conversation.addUser(i == 17 ? "the needle is here" : "hay \(i)", inputId: nil, queued: false, at: Fixtures.t0) }
        m.focus = .conversation
        _ = Update.apply(.input(.key(.char("/"))), to: &m, now: Fixtures.t0)
        for ch in "needle" { _ = Update.apply(.input(.key(.char(ch))), to: &m, now: Fixtures.t0) }
        _ = Update.apply(.input(.key(.enter)), to: &m, now: Fixtures.t0)
        #expect(m.scroll.selected == 17)
        #expect(!m.scroll.follow)
        #expect(Screen.lines(m, now: Fixtures.t0).joined().contains("the needle is here"))
    }

    @Test func historyFoldSkipsThinkingWithNoText() {
        // A reply whose reasoning was all redacted keeps it only in the signature.
        var conv = ConversationModel()
        let message = Message(role: .assistant, content: [.thinking("", signature: "sig"), .text("answer")])
        conv.apply(record: LogRecord(seq: 1, timestamp: Fixtures.t0, body: .message(message)), agentId: Fixtures.agentId)
        #expect(conv.items.count == 1)
        guard case .assistant(let text, _) = conv.items[0].kind else { Issue.record("not assistant"); return }
        #expect(text == "answer")
    }

    @Test func historyFoldRebuildsTheConversation() {
        var conv = ConversationModel()
        let t = Fixtures.t0
        let records: [LogRecord] = [
            LogRecord(seq: 1, timestamp: t, body: .inputQueued(QueuedInput(id: "in_1", text: "hello"))),
            LogRecord(seq: 2, timestamp: t, body: .message(Message(id: "in_1", role: .user, content: [.text("hello")]))),  // the kernel gives the message its input's id
            LogRecord(seq: 3, timestamp: t, body: .event(.textChunk(ChunkDelta(messageId: "m", delta: "ignored chunk")))),
            LogRecord(seq: 4, timestamp: t, body: .message(Message(role: .assistant, content: [.text("hi there"), .toolUse(id: "t1", name: "fs_read", input: .object(["path": .string("a")]))]))),
            LogRecord(seq: 5, timestamp: t, body: .message(Message(role: .user, content: [.toolResult(toolUseId: "t1", content: "file body", isError: false)]))),
        ]
        for r in records { conv.apply(record: r, agentId: Fixtures.agentId) }
        #expect(conv.items.count == 3)
        guard case .user(let text, _, let queued) = conv.items[0].kind else { Issue.record("not user"); return }
        #expect(text == "hello" && !queued)
        guard case .tool(let cell) = conv.items[2].kind else { Issue.record("not tool"); return }
        #expect(cell.status == .ok)
        #expect(cell.output == "file body")
    }
}

@Suite struct FramePacerTests {
    @Test func outputIsCoalescedButInputDrawsAtOnce() {
        var p = FramePacer()
        let t = Fixtures.t0
        #expect(p.delay(now: t) == 0)  // first frame
        p.drew(at: t)
        #expect(p.delay(now: t) == nil)  // nothing changed
        p.changed(byInput: false)
        let wait = p.delay(now: t.addingTimeInterval(0.005)) ?? -1
        #expect(abs(wait - (1.0 / 60.0 - 0.005)) < 1e-6)  // Date keeps about a microsecond here
        p.changed(byInput: true)
        #expect(p.delay(now: t.addingTimeInterval(0.005)) == 0)
        p.drew(at: t.addingTimeInterval(0.005))
        p.changed(byInput: true)
        #expect((p.delay(now: t.addingTimeInterval(0.006)) ?? 0) > 0)  // still at most one frame per 4 ms
    }
}

@Suite struct SearchEdgeTests {
    @Test func previousMatchWithoutASelectionDoesNotTrap() {
        var m = Fixtures.model(width: 100, height: 20)
        for i in 0..<5 { m.conversation.addUser("item \(i)", inputId: nil, queued: false, at: Fixtures.t0) }
        m.focus = .conversation
        m.searchQuery[.conversation] = "item 3"
        _ = Update.apply(.input(.key(.char("N"))), to: &m, now: Fixtures.t0)
        #expect(m.scroll.selected == 3)
    }
}
