import Foundation
import KodeKernel
import Testing
import KodeTUI
import KodeTestSupport

/// Pure render tests: the same model drawn at several widths must keep every line within the
/// screen, every border intact, and show each tool-cell state.
@Suite struct RenderTests {
    @Test(arguments: [40, 80, 120, 200])
    func everyRowFitsAndBordersHoldAtWidth(_ width: Int) {
        let c = Fixtures.Clock()
        var m = Fixtures.model(width: width, height: 40)
        Fixtures.richTranscript(&m, c)
        let rows = Screen.lines(m, now: c.time.addingTimeInterval(3))
        #expect(rows.count == 40)
        for (i, row) in rows.enumerated() {
            #expect(DisplayWidth.of(row) <= width, "row \(i) is \(DisplayWidth.of(row)) columns wide at width \(width): \(row)")
        }
        // The conversation box's right border is on every inner row at the same column.
        let plan = LayoutPlan.compute(width: width, height: 40, focus: .composer, composerLines: 1)
        var canvas = Canvas(width: width, height: 40)
        Renderer.render(m, into: &canvas, now: c.time)
        for y in (plan.main.y + 1)..<(plan.main.maxY - 1) {
            #expect(canvas.text(of: canvas[plan.main.maxX - 1, y]) == "│", "border broken at row \(y), width \(width)")
        }
    }

    @Test(arguments: [40, 80, 120, 200])
    func everyToolStateHasItsGlyph(_ width: Int) {
        let c = Fixtures.Clock()
        var m = Fixtures.model(width: width, height: 60)
        Fixtures.richTranscript(&m, c)
        let text = Screen.lines(m, now: c.time.addingTimeInterval(3)).joined(separator: "\n")
        for glyph in ["✓ fs_read", "✗ bash_run", "⊘ bash_run", "■ bash_run", "◐ bash_run", "◆ fs_write"] {
            #expect(text.contains(glyph), "missing \(glyph) at width \(width)")
        }
        #expect(text.contains("denied by user: not now"))
        #expect(!text.contains("\u{1b}"), "raw ESC reached the screen")
        #expect(text.contains("␛[31mFAILED") || width < 80)
    }

    @Test func runningToolShowsElapsedTime() {
        let c = Fixtures.Clock()
        var m = Fixtures.model(width: 120, height: 30)
        m.apply(c.env(.toolStart(ToolStartEvent(callId: "x", name: "bash_run", input: .object(["cmd": .string("sleep 5")])))), now: c.time)
        let text = Screen.lines(m, now: c.time.addingTimeInterval(2.5)).joined(separator: "\n")
        #expect(text.contains("$ sleep 5  2.5s running"))
    }

    @Test func streamingTextIsCommittedLineByLine() {
        let c = Fixtures.Clock()
        var m = Fixtures.model(width: 120, height: 30)
        m.apply(c.env(.textChunkStart(ChunkBoundary(messageId: "m"))), now: c.time)
        m.apply(c.env(.textChunk(ChunkDelta(messageId: "m", delta: "first line\nsecond li"))), now: c.time)
        var text = Screen.lines(m, now: c.time).joined(separator: "\n")
        #expect(text.contains("first line"))
        #expect(!text.contains("second li"))
        m.apply(c.env(.textChunk(ChunkDelta(messageId: "m", delta: "ne\n"))), now: c.time)
        text = Screen.lines(m, now: c.time).joined(separator: "\n")
        #expect(text.contains("second line"))
    }

    @Test func thinkingIsCollapsedUntilExpanded() {
        let c = Fixtures.Clock()
        var m = Fixtures.model(width: 100, height: 30)
        for e in [c.env(.thinkChunkStart(ChunkBoundary(messageId: "t"))), c.env(.thinkChunk(ChunkDelta(messageId: "t", delta: "secret plan"))), c.env(.thinkChunkEnd(ChunkBoundary(messageId: "t")))] {
            m.apply(e, now: c.time)
        }
        #expect(!Screen.lines(m, now: c.time).joined().contains("secret plan"))
        m.focus = .conversation
        _ = Update.apply(.input(.key(.enter)), to: &m, now: c.time)
        #expect(Screen.lines(m, now: c.time).joined().contains("secret plan"))
    }

    @Test func onlyTheVisibleSliceIsLaidOut() {
        var m = Fixtures.model(width: 120, height: 40)
        for i in 0..<5_000 { m.conversation.addUser("message \(i)", inputId: nil, queued: false, at: Fixtures.t0) }
        _ = Screen.lines(m, now: Fixtures.t0)
        #expect(m.wrapCache.count < 60, "laid out \(m.wrapCache.count) entries for one screen")
        #expect(Screen.lines(m, now: Fixtures.t0).joined().contains("message 4999"))
    }

    @Test func scrollingUpPausesFollowAndShowsTheNewOutputHint() {
        let c = Fixtures.Clock()
        var m = Fixtures.model(width: 120, height: 30)
        for i in 0..<100 { m.conversation.addUser("message \(i)", inputId: nil, queued: false, at: c.time) }
        m.focus = .conversation
        _ = Update.apply(.input(.key(.pageUp)), to: &m, now: c.time)
        #expect(!m.scroll.follow)
        m.apply(c.env(.textChunkStart(ChunkBoundary(messageId: "z"))), now: c.time)
        m.apply(c.env(.textChunk(ChunkDelta(messageId: "z", delta: "fresh\n"))), now: c.time)
        let text = Screen.lines(m, now: c.time).joined(separator: "\n")
        #expect(text.contains("new output below"))
        #expect(!text.contains("fresh"))
        _ = Update.apply(.input(.key(.char("G"))), to: &m, now: c.time)
        #expect(m.scroll.follow)
        #expect(Screen.lines(m, now: c.time).joined().contains("fresh"))
    }

    @Test func asciiBordersWhenTheLocaleIsNotUTF8() {
        var m = Fixtures.model(width: 100, height: 24, unicode: false)
        m.conversation.addUser("hi", inputId: nil, queued: false, at: Fixtures.t0)
        let text = Screen.lines(m, now: Fixtures.t0).joined(separator: "\n")
        #expect(text.contains("+-"))
        #expect(!text.contains("─"))
        #expect(!text.contains("│"))
        #expect(TerminalCapabilities.localeIsUTF8(["LANG": "C"]) == false)
        #expect(TerminalCapabilities.localeIsUTF8(["LANG": "en_US.UTF-8"]))
        #expect(TerminalCapabilities.localeIsUTF8(["LC_ALL": "POSIX", "LANG": "en_US.UTF-8"]) == false)
    }

    @Test func layoutDegradesWithWidth() {
        #expect(LayoutPlan.compute(width: 120, height: 30, focus: .composer, composerLines: 1).mode == .wide)
        #expect(LayoutPlan.compute(width: 100, height: 30, focus: .composer, composerLines: 1).mode == .wide)
        #expect(LayoutPlan.compute(width: 99, height: 30, focus: .composer, composerLines: 1).mode == .tabs)
        #expect(LayoutPlan.compute(width: 59, height: 30, focus: .composer, composerLines: 1).mode == .narrow)
        #expect(LayoutPlan.compute(width: 20, height: 30, focus: .composer, composerLines: 1).mode == .tooSmall)
        let tabs = LayoutPlan.compute(width: 80, height: 30, focus: .monitor, composerLines: 1)
        #expect(tabs.mainPane == .monitor)
    }
}
