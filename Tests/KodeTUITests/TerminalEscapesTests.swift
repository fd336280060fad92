import Foundation
import KodeKernel
import KodeTUI
import Testing

/// The exact bytes of the bell, desktop notifications and OSC 52, inside and outside tmux, and
/// that nothing from an agent reaches the terminal unescaped through them.
@Suite struct TerminalEscapesTests {
    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test func desktopNotificationsInEachStyle() {
        #expect(TerminalEscapes.notification(title: "kode: approval needed", body: "bash_run", style: .osc9, tmux: false)
                == Self.bytes("\u{1b}]9;kode: approval needed: bash_run\u{1b}\\"))
        #expect(TerminalEscapes.notification(title: "kode; x", body: "bash_run", style: .osc777, tmux: false)
                == Self.bytes("\u{1b}]777;notify;kode, x;bash_run\u{1b}\\"))
        #expect(TerminalEscapes.notification(title: "t", body: "b", style: .off, tmux: false).isEmpty)
        #expect(TerminalEscapes.bell == [0x07])
    }

    @Test func insideTmuxTheSequenceIsWrappedWithEveryEscDoubled() {
        #expect(TerminalEscapes.notification(title: "t", body: "b", style: .osc9, tmux: true)
                == Self.bytes("\u{1b}Ptmux;\u{1b}\u{1b}]9;t: b\u{1b}\u{1b}\\\u{1b}\\"))
    }

    @Test func untrustedTextCannotEndTheSequenceEarly() {
        let hostile = "rm\u{1b}]52;c;ZXZpbA==\u{07}\u{1b}[2J\r\nnext\u{9b}31m\u{202e}x"
        let out = TerminalEscapes.notification(title: "kode", body: hostile, style: .osc9, tmux: false)
        // Exactly one ESC to open and one in the terminator; no BEL, no C1, no newline.
        #expect(out.filter { $0 == 0x1B }.count == 2)
        #expect(!out.contains(0x07) && !out.contains(0x0A) && !out.contains(0x0D))
        #expect(!String(decoding: out, as: UTF8.self).unicodeScalars.contains { (0x80...0x9F).contains($0.value) || $0.value == 0x202E })
        #expect(String(decoding: out, as: UTF8.self) == "\u{1b}]9;kode: rm ]52;c;ZXZpbA== [2J next 31mx\u{1b}\\")
        #expect(TerminalEscapes.notificationText(String(repeating: "a", count: 500)).count == 200)
    }

    @Test func theClipboardTravelsBase64AndTwiceInsideTmux() throws {
        let text = "let x = \"\u{1b}[31m\"\n"
        let encoded = Data(text.utf8).base64EncodedString()
        let plain = try #require(TerminalEscapes.clipboard(text, tmux: false))
        #expect(plain == Self.bytes("\u{1b}]52;c;\(encoded)\u{1b}\\"))
        let tmux = try #require(TerminalEscapes.clipboard(text, tmux: true))
        #expect(tmux == plain + Self.bytes("\u{1b}Ptmux;\u{1b}\u{1b}]52;c;\(encoded)\u{1b}\u{1b}\\\u{1b}\\"))
        #expect(TerminalEscapes.clipboard(String(repeating: "x", count: 60_000), tmux: false) == nil)
    }

    @Test func approvalsNotifyByDefaultAndTurnEndsOnlyWhenAsked() {
        var m = Fixtures.model(width: 120, height: 30)
        let c = Fixtures.Clock()
        let ask = Fixtures.permission(c, "call_1", "bash_run", ["cmd": "ls"], preview: "$ ls")
        #expect(Update.apply(.event(ask), to: &m, now: Fixtures.t0).contains(.notify(title: "kode: approval needed", body: "bash_run · \(Fixtures.agentId)")))
        let done = EventEnvelope(seq: 99, timestamp: Fixtures.t0, agentId: Fixtures.agentId,
                                 event: .done(DoneEvent(bookmark: Bookmark(seq: 99, timestamp: Fixtures.t0), reason: .completed, inputIds: [])))
        #expect(Update.apply(.event(done), to: &m, now: Fixtures.t0) == [.refreshInputs])
        m.notifications.onTurnEnd = true
        #expect(Update.apply(.event(done), to: &m, now: Fixtures.t0) == [.refreshInputs, .notify(title: "kode: turn ended", body: Fixtures.agentId)])
        m.notifications.onApproval = false
        #expect(Update.apply(.event(ask), to: &m, now: Fixtures.t0).isEmpty)
    }

    @Test func copyTakesTheSelectedEntryOrTheNewestCodeBlock() {
        var m = Fixtures.model(width: 120, height: 30)
        m.conversation.addUser("hi", inputId: "in_1", queued: false, at: Fixtures.t0)
        let c = Fixtures.Clock()
        for e in Fixtures.text(c, "msg_1", ["Here:\n```swift\nlet a = 1\n```\nand\n~~~\nb\n~~~\n"]) { _ = Update.apply(.event(e), to: &m, now: Fixtures.t0) }
        m.focus = .conversation
        let y = Update.apply(.input(.key(.char("y"))), to: &m, now: Fixtures.t0)
        #expect(y == [.copy("Here:\n```swift\nlet a = 1\n```\nand\n~~~\nb\n~~~\n")])
        #expect(Update.apply(.input(.key(.char("Y"))), to: &m, now: Fixtures.t0) == [.copy("b")])
    }
}
