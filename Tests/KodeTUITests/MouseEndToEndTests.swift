import Foundation
import KodeTUI
import KodeTestSupport
import Testing

/// The mouse under a real terminal: the `kode` binary in tmux, whose pane flags say which mouse
/// modes the app turned on, and which passes a report typed into the pane to the app as a
/// terminal would send it.
@Suite(.serialized, .enabled(if: TmuxDriver.isAvailable, "tmux is not installed (scripts/test.sh installs it)"))
struct MouseEndToEndTests {
    static let width = 130, height = 40
    /// One reply of 60 lines: more than the conversation pane holds.
    static let script = #"{"turns":[{"text":""# + (1...60).map { "line \($0)" }.joined(separator: "\\n") + #""}]}"#

    static func modes(_ term: TmuxDriver) throws -> String {
        try term.format("#{mouse_standard_flag}#{mouse_sgr_flag}")
    }

    @Test func withTheOptionTheWheelScrollsAndAClickFocusesThePane() async throws {
        let app = try await AppUnderTmux.launch(
            script: Self.script, width: Self.width, height: Self.height, prefix: "kode-e2e-mouse",
            files: [".kode/config.toml": "[app]\nmouse = true\n"])
        defer { app.term.kill() }
        #expect(try Self.modes(app.term) == "11", "modes 1000 and 1006 on")
        try app.term.type("hello")
        try await app.term.waitFor("line 60")

        let plan = LayoutPlan.compute(width: Self.width, height: Self.height, focus: .composer, composerLines: 1)
        let main = plan.main.inset(1)
        try app.term.type(MouseEvent(.wheelUp, x: main.x + 10, y: main.y + 10).sgrBytes, enter: false)
        try await app.term.waitFor("(scrolled: G follows)")
        try app.term.type(MouseEvent(.wheelDown, x: main.x + 10, y: main.y + 10).sgrBytes, enter: false)
        try await app.term.waitUntil(what: "following again") { !$0.contains("(scrolled: G follows)") && $0.contains("line 60") }

        // A click on the tree's first row (this agent) gives the tree the keys: `c` labels there.
        let tree = try #require(plan.tree).inset(1)
        let click = MouseEvent(.press(button: 0), x: tree.x + 4, y: tree.y)
        try app.term.type(click.sgrBytes + MouseEvent(.release(button: 0), x: click.x, y: click.y).sgrBytes, enter: false)
        try app.term.keys("c")
        try await app.term.waitFor("label for the newest checkpoint:")
        // Esc closes the prompt; the next key waits for that frame (an Esc followed at once by
        // another byte would read as Alt+that byte).
        try app.term.keys("Escape")
        try await app.term.waitUntil(what: "the label prompt closed") { !$0.contains("label for the newest checkpoint:") }

        try app.term.keys("C-c")
        try app.term.keys("C-c")
        try await app.term.waitFor("EXIT:0")
        #expect(try Self.modes(app.term) == "00", "mouse reporting is off again at the shell")
    }

    @Test func offByDefaultTheTerminalKeepsTheMouse() async throws {
        let app = try await AppUnderTmux.launch(script: Self.script, width: Self.width, height: Self.height, prefix: "kode-e2e-nomouse")
        defer { app.term.kill() }
        #expect(try Self.modes(app.term) == "00", "no mouse mode asked for")
        try app.term.type("hello")
        try await app.term.waitFor("line 60")
        // A stray report is read and dropped like any unknown sequence; text typed after it
        // arrives after it, so once the text shows the report has been handled.
        try app.term.type(MouseEvent(.wheelUp, x: 10, y: 10).sgrBytes + "after", enter: false)
        let screen = try await app.term.waitFor("after")
        #expect(!screen.contains("(scrolled: G follows)"))
        #expect(!screen.contains("[<64"), "nothing of the report is typed")
        try app.term.keys("C-c")
        try app.term.keys("C-c")
        try await app.term.waitFor("EXIT:")
    }
}
