import Foundation
import KodeKernel
import KodeTUI
import KodeTestSupport
import Testing

/// The approval modal lays out a request's input once per request and width and slices it per
/// frame (a write of thousands of lines must not be diffed and wrapped on every frame).
@Suite struct ApprovalLayoutCacheTests {
    static let content = (1...3_000).map { "line \($0) of a large write" }.joined(separator: "\n")

    static func bigWrite(width: Int, height: Int) -> (AppModel, Date) {
        let c = Fixtures.Clock()
        var m = Fixtures.model(width: width, height: height)
        m.apply(Fixtures.permission(c, "w1", "fs_write", .object(["path": .string("big.txt"), "content": .string(content)]), preview: "big.txt"), now: c.time)
        return (m, c.time.addingTimeInterval(1))
    }

    @Test func framesAtTheSameSizeReuseTheLayoutAndAResizeLaysOutAgain() {
        var (m, now) = Self.bigWrite(width: 100, height: 30)
        let first = Screen.canvas(m, now: now)
        #expect(m.approvalLayout.layouts == 1)
        let second = Screen.canvas(m, now: now)
        #expect(m.approvalLayout.layouts == 1, "a second frame at the same size lays nothing out")
        #expect(Screen.same(first, second))
        #expect(Screen.rows(of: first).joined(separator: "\n").contains("line 1 of a large write"))

        m.width = 80
        m.height = 24
        let resized = Screen.canvas(m, now: now)
        #expect(m.approvalLayout.layouts == 2, "a resize lays out again")
        // The same frame as a model that is drawn at this size from the start.
        let (fresh, _) = Self.bigWrite(width: 80, height: 24)
        #expect(Screen.same(resized, Screen.canvas(fresh, now: now)))
        _ = Screen.canvas(m, now: now)
        #expect(m.approvalLayout.layouts == 2)
    }

    @Test func scrollingTheExpandedInputSlicesTheSameLayout() {
        var (m, now) = Self.bigWrite(width: 100, height: 30)
        _ = Update.apply(.input(.key(.char("e"))), to: &m, now: now)
        _ = Screen.canvas(m, now: now)
        let layouts = m.approvalLayout.layouts
        for _ in 0..<20 {
            _ = Update.apply(.input(.key(.pageDown)), to: &m, now: now)
            _ = Screen.canvas(m, now: now)
        }
        #expect(m.approvalLayout.layouts == layouts, "neither the update's overflow nor a frame lays out again")
        #expect(layouts == 1, "the expanded input, laid out once (the collapsed one was never drawn)")
        let text = Screen.text(m, now: now)
        #expect(text.contains("line 200 of a large write"), "twenty pages down")
        #expect(text.contains("above (↑/PgUp)"))
    }

    @Test func theFileReadForLineNumbersLaysOutAgain() throws {
        let c = Fixtures.Clock()
        var m = Fixtures.model(width: 100, height: 30)
        m.info.workDir = "/nonexistent-kode-test"
        let old = (1...40).map { "let v\($0) = \($0)" }.joined(separator: "\n") + "\n"
        let input: JSONValue = .object(["path": .string("main.swift"), "old_string": .string("let v30 = 30"), "new_string": .string("let w30 = 60")])
        _ = Update.apply(.event(Fixtures.permission(c, "e1", "fs_edit", input, preview: "main.swift")), to: &m, now: c.time)
        let now = c.time.addingTimeInterval(1)
        #expect(Screen.text(m, now: now).contains("reading the file for line numbers"))
        _ = Screen.canvas(m, now: now)
        #expect(m.approvalLayout.layouts == 1)
        _ = Update.apply(.baseFileRead(callId: "e1", base: .text(old)), to: &m, now: now)
        let read = Screen.text(m, now: now)
        #expect(m.approvalLayout.layouts == 2, "the cell changed: its diff is laid out again")
        #expect(!read.contains("reading the file for line numbers"))
        #expect(read.contains("30 - let v30 = 30"))
    }
}
