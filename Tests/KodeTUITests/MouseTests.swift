import Foundation
import KodeKernel
import KodeTUI
import Testing
import KodeTestSupport

/// The mouse (`[app] mouse = true`): reports decoded from the terminal's bytes, then routed by
/// the update step, checked on the screen the renderer draws.
@Suite struct MouseTests {
    static func decode(_ bytes: [UInt8]) -> [InputEvent] {
        var d = KeyDecoder()
        return d.feed(bytes)
    }

    @Test func sgrAndLegacyReportsDecodeToCellsFromZero() {
        let esc: [UInt8] = [0x1B]
        #expect(Self.decode(esc + Array("[<0;5;3M".utf8)) == [.mouse(MouseEvent(.press(button: 0), x: 4, y: 2))])
        #expect(Self.decode(esc + Array("[<0;5;3m".utf8)) == [.mouse(MouseEvent(.release(button: 0), x: 4, y: 2))])
        #expect(Self.decode(esc + Array("[<2;300;90M".utf8)) == [.mouse(MouseEvent(.press(button: 2), x: 299, y: 89))], "SGR has no 223-column limit")
        #expect(Self.decode(esc + Array("[<64;1;1M".utf8)) == [.mouse(MouseEvent(.wheelUp, x: 0, y: 0))])
        #expect(Self.decode(esc + Array("[<69;10;4M".utf8)) == [.mouse(MouseEvent(.wheelDown, x: 9, y: 3))], "Shift (4) is ignored")
        #expect(Self.decode(esc + Array("[<32;7;7M".utf8)) == [.mouse(MouseEvent(.drag(button: 0), x: 6, y: 6))])
        // The legacy form: ESC [ M and three bytes, each value + 32 (coordinates from 1).
        #expect(Self.decode(esc + Array("[M".utf8) + [32, 33 + 9, 33 + 4]) == [.mouse(MouseEvent(.press(button: 0), x: 9, y: 4))])
        #expect(Self.decode(esc + Array("[M".utf8) + [35, 34, 34]) == [.mouse(MouseEvent(.release(button: -1), x: 1, y: 1))])
        // Malformed reports are dropped whole: nothing of them is typed.
        #expect(Self.decode(esc + Array("[<1;2Mx".utf8)) == [.key(.char("x"))])
        #expect(Self.decode(esc + Array("[<66;2;2M".utf8)).isEmpty, "wheel tilt is not used")
    }

    @Test func aReportSplitAtEveryByteDecodesTheSame() {
        let report = Array(MouseEvent(.wheelUp, x: 41, y: 17).sgrBytes.utf8) + Array("k".utf8)
        for cut in 1..<report.count {
            var d = KeyDecoder()
            let events = d.feed(report[..<cut]) + d.feed(report[cut...])
            #expect(events == [.mouse(MouseEvent(.wheelUp, x: 41, y: 17)), .key(.char("k"))], "cut at \(cut)")
        }
    }

    /// 120×30 (two columns) with 40 replies, 40 monitor lines and two agents in the tree.
    static func busy(mouse: Bool = true) -> AppModel {
        var m = Fixtures.model(width: 120, height: 30)
        m.mouse = mouse
        let c = Fixtures.Clock()
        for i in 1...40 {
            for e in Fixtures.text(c, "m\(i)", ["reply \(i)\n"]) { m.apply(e, now: c.time) }
            m.monitor.note("monitor line \(i)", role: .text, category: .state, at: c.time)
        }
        let nodes = [
            AgentNode(id: Fixtures.agentId, parent: nil, created: Fixtures.t0, model: "scripted/script", checkpoints: []),
            AgentNode(id: "agt_second", parent: nil, created: Fixtures.t0.addingTimeInterval(1), model: "scripted/script", checkpoints: []),
        ]
        _ = Update.apply(.agentsLoaded(nodes), to: &m, now: Fixtures.t0)
        return m
    }

    static func plan(_ m: AppModel) -> LayoutPlan {
        LayoutPlan.compute(width: m.width, height: m.height, focus: m.focus, composerLines: m.composer.lines.count)
    }

    @discardableResult
    static func send(_ action: MouseEvent.Action, at x: Int, _ y: Int, _ m: inout AppModel) -> [Effect] {
        Update.apply(.input(.mouse(MouseEvent(action, x: x, y: y))), to: &m, now: Fixtures.t0)
    }

    @Test func theWheelScrollsTheConversationUnderThePointerWithoutFocusingIt() throws {
        var m = Self.busy()
        let main = Self.plan(m).main
        // The conversation's column only (the monitor is drawn beside it).
        func pane() -> [String] { Screen.rows(m, now: Fixtures.t0)[main.y..<main.maxY].map { String($0.prefix(main.width)) } }
        let before = pane()
        #expect(before.suffix(3).contains { $0.contains("reply 40") })
        Self.send(.wheelUp, at: main.x + 5, main.y + 5, &m)
        let after = pane()
        #expect(after[0].contains("Conversation (scrolled: G follows)"))
        #expect(!after.contains { $0.contains("reply 40") }, "three lines up")
        #expect(Array(after[4..<after.count - 1]) == Array(before[1..<before.count - 4]), "every line moved down by three")
        #expect(m.focus == .composer, "the wheel does not move the focus")
        for _ in 0..<5 { Self.send(.wheelDown, at: main.x + 5, main.y + 5, &m) }
        #expect(m.scroll.follow, "back at the bottom: following again")
        #expect(pane() == before)
    }

    @Test func theWheelScrollsTheMonitorAndMovesTheTreeSelection() throws {
        var m = Self.busy()
        let plan = Self.plan(m)
        let monitor = try #require(plan.monitor)
        Self.send(.wheelUp, at: monitor.x + 3, monitor.y + 3, &m)
        #expect(m.monitor.scrollBack == 3)
        let screen = Screen.rows(m, now: Fixtures.t0)
        #expect(screen.contains { $0.contains("paused: G follows") })
        #expect(screen[monitor.maxY - 2].contains("monitor line 37"))
        #expect(m.focus == .composer)
        let tree = try #require(plan.tree)
        let selected = m.tree.selection
        Self.send(.wheelDown, at: tree.x + 3, tree.y + 3, &m)
        #expect(m.tree.selection == selected + 1)
    }

    @Test func aClickFocusesThePaneAndSelectsTheRowUnderIt() throws {
        var m = Self.busy()
        let tree = try #require(Self.plan(m).tree).inset(1)
        let rowOfSecond = try #require(m.tree.rows.firstIndex { $0.kind == .agent("agt_second") })
        Self.send(.press(button: 0), at: tree.x + 4, tree.y + rowOfSecond, &m)
        #expect(m.focus == .tree)
        #expect(m.tree.selectedAgent == "agt_second")
        #expect(Screen.rows(m, now: Fixtures.t0)[tree.y + rowOfSecond].contains("▶"))
        #expect(Screen.rows(m, now: Fixtures.t0)[tree.y + rowOfSecond].contains("agt_second"))

        let content = Self.plan(m).main.inset(1)
        let shown = Screen.rows(m, now: Fixtures.t0)
        let y = try #require((content.y + 2..<content.maxY).first { shown[$0].contains("reply") })
        let range = try #require(shown[y].firstRange(of: #/reply \d+/#))
        let name = String(shown[y][range])
        Self.send(.press(button: 0), at: content.x + 3, y, &m)
        #expect(m.focus == .conversation)
        let selected = try #require(m.scroll.selected)
        #expect(m.conversation.items[selected].searchableText.trimmingCharacters(in: .whitespacesAndNewlines) == name)
        #expect(Screen.rows(m, now: Fixtures.t0)[y].contains("▌" ), "the entry clicked is marked")

        let composer = Self.plan(m).composer
        Self.send(.press(button: 0), at: composer.x + 3, composer.y + 1, &m)
        #expect(m.focus == .composer)
        // Releases, drags and other buttons are the terminal's: nothing changes.
        for action in [MouseEvent.Action.release(button: 0), .drag(button: 0), .press(button: 2)] {
            Self.send(action, at: tree.x + 1, tree.y, &m)
        }
        #expect(m.focus == .composer)
    }

    @Test func aClickOnATabShowsThatPane() {
        var m = Fixtures.model(width: 80, height: 24)
        m.mouse = true
        let tabs = Self.plan(m).tabs!
        let monitorX = tabs.x + " Conversation ".count + 1 + 2
        Self.send(.press(button: 0), at: monitorX, tabs.y, &m)
        #expect(m.focus == .monitor)
        #expect(Screen.rows(m, now: Fixtures.t0)[tabs.y + 1].contains("Monitor"))
        Self.send(.press(button: 0), at: tabs.x + 2, tabs.y, &m)
        #expect(m.focus == .conversation)
    }

    @Test func theAgentsViewTakesTheWheelAndClicksOnRows() throws {
        var m = AgentsViewTests.opened()
        m.mouse = true
        _ = Update.apply(.agentsListed(AgentsViewTests.rows()), to: &m, now: Fixtures.t0)
        let screen = Screen.rows(m, now: Fixtures.t0)
        let y = try #require(screen.firstIndex { $0.contains("agt_old") && !$0.contains("fork of agt_old") })
        Self.send(.press(button: 0), at: 20, y, &m)
        #expect(AgentsViewTests.view(m)?.selected?.id == "agt_old")
        Self.send(.wheelUp, at: 20, y, &m)
        Self.send(.wheelUp, at: 20, y, &m)
        #expect(AgentsViewTests.view(m)?.selected?.id == "agt_new")
        Self.send(.press(button: 0), at: 20, 0, &m)
        #expect(AgentsViewTests.view(m)?.selected?.id == "agt_new", "a click outside the list changes nothing")
        #expect(Update.apply(.input(.key(.enter)), to: &m, now: Fixtures.t0) == [.open("agt_new")])
    }

    @Test func helpScrollsWithTheWheel() {
        var m = Self.busy()
        _ = Update.apply(.input(.key(.function(1))), to: &m, now: Fixtures.t0)
        Self.send(.wheelDown, at: 50, 10, &m)
        #expect(m.overlays.last == .help(scroll: 3))
        Self.send(.press(button: 0), at: 50, 10, &m)
        #expect(m.overlays.last == .help(scroll: 3), "a click does not close it")
    }

    @Test func theModalAndTheConfirmationsIgnoreTheMouse() throws {
        var m = Self.busy()
        let c = Fixtures.Clock()
        m.apply(Fixtures.permission(c, "p1", "bash_run", .object(["cmd": .string("make")]), preview: "$ make"), now: Fixtures.t0)
        let tree = try #require(Self.plan(m).tree)
        let main = Self.plan(m).main
        #expect(Self.send(.press(button: 0), at: tree.x + 3, tree.y + 2, &m).isEmpty)
        #expect(Self.send(.wheelUp, at: main.x + 3, main.y + 3, &m).isEmpty)
        #expect(m.focus == .composer && m.scroll.follow && m.approvals.pending.count == 1)
        for x in stride(from: 0, to: m.width, by: 7) {
            for y in stride(from: 0, to: m.height, by: 3) {
                #expect(Self.send(.press(button: 0), at: x, y, &m).isEmpty, "a click never decides")
            }
        }
    }

    @Test func withTheOptionOffNothingChanges() throws {
        var m = Self.busy(mouse: false)
        let tree = try #require(Self.plan(m).tree)
        let main = Self.plan(m).main
        let before = Screen.rows(m, now: Fixtures.t0)
        Self.send(.press(button: 0), at: tree.x + 3, tree.y + 2, &m)
        Self.send(.wheelUp, at: main.x + 3, main.y + 3, &m)
        #expect(m.focus == .composer && m.scroll.follow)
        #expect(Screen.rows(m, now: Fixtures.t0) == before)
    }
}
