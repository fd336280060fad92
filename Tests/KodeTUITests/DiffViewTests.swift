import Foundation
import KodeKernel
import Testing
import KodeTUI
import KodeTestSupport

/// Writes and edits as diffs: the line diff itself, edits against a real file, new files, very
/// long files, several replacements, the approval modal (folded, `e` shows all) and the
/// finished cell showing the same diff collapsed.
@Suite struct DiffViewTests {
    /// Rebuilds the new lines from the old ones and the script: the script is a real diff.
    static func apply(_ ops: [LineDiff.Op], _ old: [Substring], _ new: [Substring]) -> [Substring] {
        var out: [Substring] = []
        for op in ops {
            switch op {
            case .same(let o, let n):
                #expect(old[o] == new[n])
                out.append(old[o])
            case .added(let n): out.append(new[n])
            case .removed: break
            }
        }
        return out
    }

    @Test func theLineDiffRebuildsTheNewTextAndIsMinimalOnSmallCases() {
        var seed: UInt64 = 42
        func next() -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int(seed >> 33)
        }
        for _ in 0..<200 {
            let old = (0..<(next() % 30)).map { _ in Substring(["a", "b", "c", "d"][next() % 4]) }
            var new = old
            for _ in 0..<(next() % 6) {
                if !new.isEmpty && next() % 2 == 0 { new.remove(at: next() % new.count) } else { new.insert(Substring(["a", "e", "f"][next() % 3]), at: new.isEmpty ? 0 : next() % new.count) }
            }
            let ops = LineDiff.ops(old, new)
            #expect(Self.apply(ops, old, new) == new)
            #expect(ops.filter { if case .removed = $0 { return true } else { return false } }.count <= old.count)
        }
        let ops = LineDiff.ops(["a", "b", "c"], ["a", "x", "c"])
        #expect(ops == [.same(old: 0, new: 0), .removed(old: 1), .added(new: 1), .same(old: 2, new: 2)])
    }

    static let file = (1...40).map { "line \($0)" }.joined(separator: "\n") + "\n"

    @Test func anEditAgainstTheFileHasLineNumbersAndContext() throws {
        let input: JSONValue = ["path": "a.txt", "old_string": "line 20\nline 21\n", "new_string": "line twenty\n"]
        let diff = try #require(EditPreview.diff(tool: "fs_edit", input: input, base: .text(Self.file)))
        #expect(diff.kind == .edit)
        #expect(diff.added == 1 && diff.removed == 2)
        #expect(diff.hunks.count == 1)
        let hunk = diff.hunks[0]
        #expect(hunk.oldStart == 17 && hunk.newStart == 17)
        #expect(hunk.lines.first == FileDiff.Line(kind: .context, number: 17, text: "line 17"))
        #expect(hunk.lines.contains(FileDiff.Line(kind: .removed, number: 21, text: "line 21")))
        #expect(hunk.lines.contains(FileDiff.Line(kind: .added, number: 20, text: "line twenty")))
        #expect(hunk.lines.last == FileDiff.Line(kind: .context, number: 23, text: "line 24"))
        let body = DiffLines.body(diff, width: 60, unicode: true).map(\.text)
        #expect(body.first == "@@ -17,8 +17,7 @@")
        #expect(body.contains("21 - line 21"))
        #expect(body.contains("20 + line twenty"))
        #expect(body.contains("17   line 17"))
    }

    @Test func severalReplacementsApplyInOrderAndFarApartMakeTwoHunks() throws {
        let input: JSONValue = ["path": "a.txt", "edits": [
            ["old_string": "line 3\n", "new_string": "line three\n"],
            ["old_string": "line three\nline 4", "new_string": "line 3+4"],
            ["old_string": "line 30", "new_string": "line thirty"],
        ]]
        let diff = try #require(EditPreview.diff(tool: "fs_multi_edit", input: input, base: .text(Self.file)))
        #expect(diff.kind == .edit)
        #expect(diff.hunks.count == 2)
        #expect(diff.hunks[0].lines.filter { $0.kind == .added }.map(\.text) == ["line 3+4"])
        #expect(diff.hunks[1].lines.filter { $0.kind == .added }.map { $0.number } == [29])
        #expect(InputSummary.oneLine(tool: "fs_multi_edit", input: input) == "a.txt (3 edits)")
    }

    @Test func replaceAllCountsEveryOccurrence() throws {
        let input: JSONValue = ["path": "a.txt", "old_string": "x", "new_string": "y", "replace_all": true]
        let diff = try #require(EditPreview.diff(tool: "fs_edit", input: input, base: .text("x\na\nx\n")))
        #expect(diff.added == 2 && diff.removed == 2)
        #expect(diff.note == "2 replacements")
    }

    @Test func withoutTheFileAnEditIsASnippetSayingWhy() throws {
        let input: JSONValue = ["path": "a.txt", "old_string": "not there", "new_string": "new"]
        let missing = try #require(EditPreview.diff(tool: "fs_edit", input: input, base: .text(Self.file)))
        #expect(missing.kind == .snippet)
        #expect(missing.note == "the text to replace is not in the file as it is now")
        #expect(missing.hunks.flatMap(\.lines).allSatisfy { $0.number == nil })
        let unread = try #require(EditPreview.diff(tool: "fs_edit", input: input, base: nil))
        #expect(DiffLines.body(unread, width: 40, unicode: true).map(\.text) == ["- not there", "+ new"])
    }

    @Test func aNewFileIsAllAddedAndNumbered() throws {
        let input: JSONValue = ["path": "new.md", "content": "# Title\n\nbody\n"]
        let diff = try #require(EditPreview.diff(tool: "fs_write", input: input, base: .missing))
        #expect(diff.kind == .create)
        #expect(diff.added == 3 && diff.removed == 0)
        #expect(DiffLines.body(diff, width: 40, unicode: true).map(\.text) == ["1 + # Title", "2 + ", "3 + body"])
        #expect(DiffLines.header(diff).text == "new.md  new file  +3 −0")
    }

    @Test func anOverwriteDiffsAgainstTheOldContent() throws {
        let input: JSONValue = ["path": "a.txt", "content": .string(Self.file.replacingOccurrences(of: "line 5\n", with: ""))]
        let diff = try #require(EditPreview.diff(tool: "fs_write", input: input, base: .text(Self.file)))
        #expect(diff.kind == .overwrite)
        #expect(diff.added == 0 && diff.removed == 1)
    }

    @Test func veryLongFilesStayCheapAndFoldWithACount() throws {
        let old = (1...100_000).map { "row \($0)" }.joined(separator: "\n")
        let input: JSONValue = ["path": "big.txt", "old_string": "row 50000\n", "new_string": "row fifty thousand\n"]
        let diff = try #require(EditPreview.diff(tool: "fs_edit", input: input, base: .text(old)))
        #expect(diff.hunks.count == 1)
        #expect(diff.hunks[0].oldStart == 49_997)
        #expect(DiffLines.body(diff, width: 80, unicode: true).contains { $0.text == "50000 + row fifty thousand" })
        // A rewrite of every line: the diff gives up searching and shows all removed, all added.
        let other = (1...20_000).map { "other \($0)" }.joined(separator: "\n")
        let rewrite = try #require(EditPreview.diff(tool: "fs_write", input: ["path": "big.txt", "content": .string(other)], base: .text(old)))
        #expect(rewrite.removed == 100_000 && rewrite.added == 20_000)
        let folded = DiffLines.body(rewrite, width: 80, unicode: true, limit: 10, hint: "e shows all")
        #expect(folded.count == 11)
        // One hunk header and 120,000 lines, 10 of them shown.
        #expect(folded.last?.text == "… 119991 more lines (e shows all)")
    }

    @Test func diffTextIsSanitized() throws {
        let diff = try #require(EditPreview.diff(tool: "fs_write", input: ["path": "x\u{1b}]0;t\u{7}", "content": "\u{1b}[2J\u{9b}1m"], base: .missing))
        let text = ([DiffLines.header(diff)] + DiffLines.body(diff, width: 40, unicode: true)).map(\.text).joined()
        #expect(!text.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x9b || $0.value == 0x07 })
        #expect(text.contains("␛[2J"))
    }

    // MARK: the approval modal and the cell

    static func editModel(_ dir: URL, old: String, new: String) -> (AppModel, [Effect], Fixtures.Clock) {
        var m = Fixtures.model(width: 100, height: 34)
        m.info.workDir = dir.path
        let c = Fixtures.Clock()
        let input: JSONValue = ["path": "src/main.swift", "old_string": .string(old), "new_string": .string(new)]
        let effects = Update.apply(.event(Fixtures.permission(c, "e1", "fs_edit", input, preview: "edit src/main.swift")), to: &m, now: c.time)
        return (m, effects, c)
    }

    static func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kode-diff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("src"), withIntermediateDirectories: true)
        return dir
    }

    @Test func theApprovalReadsTheFileAndShowsTheDiffFoldedUntilE() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = (1...80).map { "let v\($0) = \($0)" }.joined(separator: "\n") + "\n"
        try source.write(to: dir.appendingPathComponent("src/main.swift"), atomically: true, encoding: .utf8)
        let old = (30...50).map { "let v\($0) = \($0)" }.joined(separator: "\n")
        let new = (30...50).map { "let w\($0) = \($0 * 2)" }.joined(separator: "\n")
        var (m, effects, c) = Self.editModel(dir, old: old, new: new)
        let path = dir.appendingPathComponent("src/main.swift").standardizedFileURL.path
        #expect(effects.contains(.readBaseFile(callId: "e1", path: path)))
        // The read is asked for once.
        #expect(!Update.apply(.tick, to: &m, now: c.time).contains(.readBaseFile(callId: "e1", path: path)))
        let before = Screen.lines(m, now: c.time).joined(separator: "\n")
        #expect(before.contains("reading the file for line numbers"))
        _ = Update.apply(.baseFileRead(callId: "e1", base: BaseFile.read(path)), to: &m, now: c.time)
        let later = c.time.addingTimeInterval(1)
        let folded = Screen.lines(m, now: later).joined(separator: "\n")
        #expect(folded.contains("src/main.swift  +21 −21"))
        #expect(folded.contains("@@ -27,27 +27,27 @@"))
        #expect(folded.contains("30 - let v30 = 30"))
        #expect(folded.contains("more lines (e shows all)"))
        #expect(!folded.contains("let w50 = 100"))
        _ = Update.apply(.input(.key(.char("e"))), to: &m, now: later)
        for _ in 0..<10 { _ = Update.apply(.input(.key(.pageDown)), to: &m, now: later) }
        let all = Screen.lines(m, now: later).joined(separator: "\n")
        #expect(all.contains("50 + let w50 = 100"), "e shows all, scrolled to the end")
        #expect(all.contains("53   let v53 = 53"))
        try StyledGolden.check("approval-edit-100x34.styled", Screen.canvas(m, now: later))

        // The call ran: its cell shows the same diff, collapsed.
        _ = Update.apply(.event(c.env(.permissionDecided(PermissionDecidedEvent(callId: "e1", decision: .allow, decidedBy: "user", note: nil, scope: .once)))), to: &m, now: later)
        _ = Update.apply(.event(c.env(.toolEnd(ToolEndEvent(callId: "e1", name: "fs_edit", state: .completed, isError: false, durationMs: 3, outputPreview: "edited src/main.swift")))), to: &m, now: later)
        let cell = Screen.lines(m, now: later).joined(separator: "\n")
        #expect(cell.contains("✓ fs_edit src/main.swift (-21 +21 lines)"))
        #expect(cell.contains("⎿ +21 −21"))
        #expect(cell.contains("@@ -27,27 +27,27 @@"))
        #expect(cell.contains("more lines (Enter expands)"))
    }

    @Test func aNewFileWriteApprovalSaysNewFile() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        var m = Fixtures.model(width: 100, height: 30)
        m.info.workDir = dir.path
        let c = Fixtures.Clock()
        let effects = Update.apply(.event(Fixtures.permission(c, "w1", "fs_write", ["path": "docs/new.md", "content": "# New\n\ntext\n"], preview: "write docs/new.md")), to: &m, now: c.time)
        guard case .readBaseFile(_, let path)? = effects.first(where: { if case .readBaseFile = $0 { return true } else { return false } }) else {
            Issue.record("no read asked for")
            return
        }
        #expect(BaseFile.read(path) == .missing)
        _ = Update.apply(.baseFileRead(callId: "w1", base: BaseFile.read(path)), to: &m, now: c.time)
        let screen = Screen.lines(m, now: c.time).joined(separator: "\n")
        #expect(screen.contains("docs/new.md  new file  +3 −0"))
        #expect(screen.contains("1 + # New"))
    }

    @Test func aCommandApprovalShowsItsDirectoryAndShellHighlighting() throws {
        var m = Fixtures.model(width: 100, height: 30)
        m.info.workDir = "/work/project"
        let c = Fixtures.Clock()
        m.apply(Fixtures.permission(c, "b1", "bash_run", ["cmd": "FOO=1 swift test --filter Kode | tee \"$HOME/log\"", "sandbox": "network", "reason": "fetch packages"], preview: "$ swift test"), now: c.time)
        let canvas = Screen.canvas(m, now: c.time)
        let screen = Screen.rows(of: canvas).joined(separator: "\n")
        #expect(screen.contains("in /work/project"))
        #expect(screen.contains("asks for sandbox network: fetch packages"))
        #expect(screen.contains("$ FOO=1 swift test --filter Kode | tee \"$HOME/log\""))
        // `swift` and `tee` are commands, `--filter` an option, the string a string.
        // The modal's row (the cell in the conversation above it shows the same command as text).
        let row = try #require((0..<canvas.height).last { canvas.rowText($0).contains("$ FOO=1") })
        let x = try #require(canvas.rowText(row).range(of: "swift")).lowerBound.utf16Offset(in: canvas.rowText(row))
        #expect(canvas[x, row].style.role == .tokenFunction)
        try StyledGolden.check("approval-bash-100x30.styled", canvas)
    }

    @Test func anEditAgainstTheRealFileThroughTheRunLoop() async throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "alpha\nbeta\ngamma\n".write(to: dir.appendingPathComponent("src/main.swift"), atomically: true, encoding: .utf8)
        let script = #"{"turns":[{"tool_calls":[{"name":"fs_edit","input":{"path":"src/main.swift","old_string":"beta","new_string":"BETA"}}]},{"text":"done"}]}"#
        let hub = try ClientFixtures.hub(script: script)
        var config = ClientFixtures.config(.approval)
        config.workDir = dir.path
        let handle = try await hub.create(config)
        try await ClientFixtures.turn(handle, "edit it", until: ClientFixtures.isApproval)
        let loop = try await WatchedLoop.start(hub: hub, handle: handle)
        // The loop reads the file in an effect; the modal's diff then has the file's line numbers.
        let view = await loop.wait { $0.diff?.kind == .edit }
        let diff = try #require(view?.diff)
        #expect(diff.hunks.first?.lines.contains(FileDiff.Line(kind: .removed, number: 2, text: "beta")) == true)
        #expect(diff.hunks.first?.lines.contains(FileDiff.Line(kind: .added, number: 2, text: "BETA")) == true)
        loop.post(.signal(SIGTERM))
        _ = await loop.outcome.value
        await handle.release(.leave)
    }
}
