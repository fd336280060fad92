import Testing
import KodeTUI

@Suite struct SanitizerTests {
    /// Nothing in the output may be a C0/C1 control (other than newline), DEL, or a bidi control.
    static func isSafe(_ s: String) -> Bool {
        s.unicodeScalars.allSatisfy { u in
            let v = u.value
            if v == 0x0A { return true }
            if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) { return false }
            if (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) { return false }
            return true
        }
    }

    @Test func csiColourBecomesVisible() {
        let out = Sanitizer.clean("\u{1b}[31mred\u{1b}[0m")
        #expect(out == "␛[31mred␛[0m")
        #expect(Self.isSafe(out))
    }

    @Test func oscTitleSequenceBecomesVisible() {
        let out = Sanitizer.clean("\u{1b}]0;pwned\u{07}after")
        #expect(out == "␛]0;pwned\\x07after")
        #expect(Self.isSafe(out))
    }

    @Test func c1ControlsIncludingEightBitCSI() {
        let out = Sanitizer.clean("a\u{9b}31mb\u{85}c")
        #expect(out == "a\\u{9b}31mb\\u{85}c")
        #expect(Self.isSafe(out))
    }

    @Test func carriageReturnBackspaceAndDel() {
        let out = Sanitizer.clean("ok\rfake\u{08}\u{7f}")
        #expect(out == "ok\\rfake\\x08\\x7f")
    }

    @Test func bidiOverridesAreNeverEmittedRaw() {
        let name = "invoice\u{202E}fdp.exe"
        let out = Sanitizer.clean(name)
        #expect(out == "invoice<U+202E>fdp.exe")
        #expect(Self.isSafe(Sanitizer.clean("\u{2066}x\u{2069}")))
    }

    @Test func tabsExpandAndNewlinesStay() {
        #expect(Sanitizer.clean("a\tb") == "a   b")
        #expect(Sanitizer.clean("ab\tc\nd") == "ab  c\nd")
        #expect(Sanitizer.oneLine("a\nb") == "a\\nb")
    }

    @Test func plainTextIsUnchanged() {
        #expect(Sanitizer.clean("hello 世界 🚀") == "hello 世界 🚀")
    }

    @Test func canvasNeverStoresControlsEvenUnsanitized() {
        var canvas = Canvas(width: 10, height: 1)
        canvas.put("a\u{1b}b\u{9b}", x: 0, y: 0, style: .text)
        let row = canvas.rowText(0)
        #expect(Self.isSafe(row))
        #expect(row.hasPrefix("a\u{FFFD}b\u{FFFD}"))
    }
}
