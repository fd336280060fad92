import Foundation
import KodeKernel
import Testing
import KodeTUI
import KodeTestSupport

/// Tool cells in a human form: todos as a checklist, reads as a path and line range, searches
/// with their counts, never a JSON header where a human form exists; Enter shows the JSON.
@Suite struct ToolCellTests {
    static func finished(_ name: String, _ input: JSONValue, output: String, width: Int = 100, expand: Bool = false, unicode: Bool = true) -> String {
        var m = Fixtures.model(width: width, height: 30, unicode: unicode)
        let c = Fixtures.Clock()
        m.apply(c.env(.toolStart(ToolStartEvent(callId: "t1", name: name, input: input))), now: c.time)
        m.apply(c.env(.toolEnd(ToolEndEvent(callId: "t1", name: name, state: .completed, isError: false, durationMs: 4, outputPreview: output))), now: c.time)
        if expand {
            m.focus = .conversation
            _ = Update.apply(.input(.key(.enter)), to: &m, now: c.time)
        }
        return Screen.lines(m, now: c.time).joined(separator: "\n")
    }

    static let todos: JSONValue = ["todos": [
        ["id": "1", "title": "read the parser", "status": "completed"],
        ["id": "2", "title": "write the renderer", "status": "in_progress"],
        ["id": "3", "title": "benchmark the frame", "status": "pending"],
    ]]

    @Test func todoWriteIsAChecklist() {
        let screen = Self.finished("todo_write", Self.todos, output: "todo list updated:\n1. [x] read the parser (id: 1, completed)")
        #expect(screen.contains("✓ todo_write 3 todos: 1 done, 1 in progress"))
        #expect(screen.contains("⎿ ☑ read the parser"))
        #expect(screen.contains("    ◐ write the renderer"))
        #expect(screen.contains("    ☐ benchmark the frame"))
        #expect(!screen.contains("{\"todos\""), "no JSON in the collapsed cell")
        let expanded = Self.finished("todo_write", Self.todos, output: "todo list updated", expand: true)
        #expect(expanded.contains("\"title\" : \"read the parser\""), "Enter shows the JSON input")
    }

    @Test func todoReadIsAChecklistFromItsOutput() {
        let out = "1. [x] read the parser (id: 1, completed)\n2. [>] write the renderer (id: 2, in_progress)\n3. [ ] ship (id: 3, pending)"
        let screen = Self.finished("todo_read", .object([:]), output: out)
        #expect(screen.contains("✓ todo_read the todo list"))
        #expect(screen.contains("⎿ ☑ read the parser"))
        #expect(screen.contains("◐ write the renderer"))
        #expect(screen.contains("☐ ship"))
        #expect(!screen.contains("{}"))
    }

    @Test func fsReadShowsThePathAndTheLineRange() {
        let out = (10...59).map { String(repeating: " ", count: 4) + "\($0)│line \($0)" }.joined(separator: "\n") + "\n[lines 10–59 of 300; call fs_read with offset 60 to read on]"
        let screen = Self.finished("fs_read", ["path": "Sources/a.swift", "offset": 10, "limit": 50], output: out)
        #expect(screen.contains("✓ fs_read Sources/a.swift lines 10–59"))
        #expect(screen.contains("⎿ lines 10–59 of 300"))
        let whole = Self.finished("fs_read", ["path": "README.md"], output: "     1│# Kode\n     2│runtime")
        #expect(whole.contains("✓ fs_read README.md  "))
        #expect(whole.contains("⎿ 2 lines"))
    }

    @Test func countsTakenFromOutputAreSanitized() {
        let screen = Self.finished("fs_read", ["path": "a"], output: "     1│x\n[lines 1–1 of \u{1b}[31m9\u{9b}]")
        #expect(screen.contains("⎿ lines 1–1 of ␛[31m9"))
        #expect(!screen.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x9b })
    }

    @Test func searchesShowTheirCounts() {
        let grep = "src/a.swift:3:let x\nsrc/a.swift:9:let y\nsrc/b.swift:1:let z\n[4 more matching lines not shown; narrow the pattern, path or glob]"
        let g = Self.finished("fs_grep", ["pattern": "let ", "path": "src", "glob": "*.swift"], output: grep)
        #expect(g.contains("✓ fs_grep \"let \" in src (*.swift)"))
        #expect(g.contains("⎿ at least 7 matches in 2 files"))
        #expect(Self.finished("fs_grep", ["pattern": "zzz"], output: "no matches for \"zzz\"").contains("⎿ no matches"))
        let glob = Self.finished("fs_glob", ["pattern": "**/*.md"], output: "README.md\ndocs/TUI.md\ndocs/CONFIG.md")
        #expect(glob.contains("✓ fs_glob **/*.md"))
        #expect(glob.contains("⎿ 3 files"))
        #expect(Self.finished("fs_glob", ["pattern": "*.x"], output: "no files match *.x").contains("⎿ no files"))
    }

    @Test func noKnownToolHasAJSONHeader() {
        let inputs: [(String, JSONValue)] = [
            ("bash_run", ["cmd": "ls"]), ("bash_logs", ["shell_id": "sh_1"]), ("bash_kill", ["shell_id": "sh_1"]),
            ("fs_write", ["path": "a", "content": "x"]), ("fs_edit", ["path": "a", "old_string": "x", "new_string": "y"]),
            ("fs_multi_edit", ["path": "a", "edits": [["old_string": "x", "new_string": "y"]]]),
            ("fs_read", ["path": "a"]), ("fs_glob", ["pattern": "*"]), ("fs_grep", ["pattern": "x"]),
            ("todo_write", Self.todos), ("todo_read", .object([:])),
        ]
        for (name, input) in inputs {
            let line = InputSummary.oneLine(tool: name, input: input)
            #expect(!line.hasPrefix("{") && !line.contains("\":"), "\(name): \(line)")
        }
    }

    @Test func aFailedCallShowsItsErrorNotTheHumanForm() {
        var m = Fixtures.model(width: 100, height: 20)
        let c = Fixtures.Clock()
        m.apply(c.env(.toolStart(ToolStartEvent(callId: "t", name: "fs_read", input: ["path": "gone.txt"]))), now: c.time)
        m.apply(c.env(.toolEnd(ToolEndEvent(callId: "t", name: "fs_read", state: .failed, isError: true, durationMs: 1, outputPreview: "file not found: gone.txt"))), now: c.time)
        #expect(Screen.lines(m, now: c.time).joined().contains("⎿ file not found: gone.txt"))
    }

    @Test func aFailedCommandShowsItsErrorOnceAsLinesUnderOneElbow() {
        var m = Fixtures.model(width: 100, height: 30)
        let c = Fixtures.Clock()
        let error = "ls: cannot access '/gone/" + String(repeating: "deep/", count: 20) + "x': No such file or directory\n[exit code 2]"
        m.apply(c.env(.toolStart(ToolStartEvent(callId: "t", name: "bash_run", input: ["cmd": "ls /gone"]))), now: c.time)
        m.apply(c.env(.toolError(ToolErrorEvent(callId: "t", name: "bash_run", message: error))), now: c.time)
        m.apply(c.env(.toolEnd(ToolEndEvent(callId: "t", name: "bash_run", state: .failed, isError: true, durationMs: 3, outputPreview: error))), now: c.time)
        let screen = Screen.lines(m, now: c.time)
        #expect(screen.count { $0.contains("ls: cannot access") } == 1, "the error is not repeated as the output")
        #expect(screen.count { $0.contains("⎿") } == 1, "one elbow; the rest of the error hangs under it")
        #expect(screen.contains { $0.contains("    [exit code 2]") }, "its lines stay lines")
        #expect(!screen.joined().contains("\\n"))

        // A long error is folded like a long output.
        let long = (1...12).map { "error line \($0)" }.joined(separator: "\n")
        m.apply(c.env(.toolStart(ToolStartEvent(callId: "u", name: "bash_run", input: ["cmd": "make"]))), now: c.time)
        m.apply(c.env(.toolError(ToolErrorEvent(callId: "u", name: "bash_run", message: long))), now: c.time)
        m.apply(c.env(.toolEnd(ToolEndEvent(callId: "u", name: "bash_run", state: .failed, isError: true, durationMs: 3, outputPreview: long))), now: c.time)
        let folded = Screen.lines(m, now: c.time)
        #expect(folded.contains { $0.contains("error line 4") } && !folded.contains { $0.contains("error line 5") })
        #expect(folded.contains { $0.contains("(+8 lines, Enter expands)") })
    }

    @Test(arguments: [40, 80, 120, 200]) func cellsFitEveryWidth(_ width: Int) {
        let screen = Self.finished("todo_write", Self.todos, output: "ok", width: width)
        for row in screen.split(separator: "\n") { #expect(DisplayWidth.of(String(row)) <= width) }
        let ascii = Self.finished("todo_write", Self.todos, output: "ok", width: width, unicode: false)
        #expect(ascii.contains("> [x] read the parser") && ascii.contains("[~] write the") && ascii.contains("[ ] benchmark"))
    }

    @Test func toolCellsGolden() throws {
        var m = Fixtures.model(width: 100, height: 30)
        let c = Fixtures.Clock()
        let calls: [(String, JSONValue, String)] = [
            ("todo_write", Self.todos, "todo list updated"),
            ("fs_read", ["path": "Sources/a.swift", "offset": 10, "limit": 50], "    10│x\n[lines 10–59 of 300; call fs_read with offset 60 to read on]"),
            ("fs_grep", ["pattern": "TODO", "path": "src"], "src/a.swift:3:// TODO\nsrc/b.swift:9:// TODO"),
            ("fs_glob", ["pattern": "**/*.md"], "README.md\ndocs/TUI.md"),
            ("fs_write", ["path": "docs/new.md", "content": "# New\n\ntext\n"], "created docs/new.md (3 lines, 12 bytes)"),
            ("fs_edit", ["path": "a.txt", "old_string": "old line", "new_string": "new line\nand another"], "edited a.txt"),
        ]
        for (i, (name, input, output)) in calls.enumerated() {
            m.apply(c.env(.toolStart(ToolStartEvent(callId: "t\(i)", name: name, input: input))), now: c.time)
            m.apply(c.env(.toolEnd(ToolEndEvent(callId: "t\(i)", name: name, state: .completed, isError: false, durationMs: 4, outputPreview: output))), now: c.time)
        }
        var canvas = Canvas(width: 100, height: 30)
        Renderer.render(m, into: &canvas, now: c.time)
        try StyledGolden.check("tool-cells-100x30.styled", canvas)
    }

    @Test func themesHaveEveryNewRole() throws {
        for name in ThemeLoader.builtinNames {
            let text = try #require(ThemeLoader.builtinText(name))
            for role in [StyleRole.heading, .code, .codeBlock, .link, .quote, .listMarker, .emphasis, .tokenKeyword, .tokenType, .tokenString, .tokenNumber, .tokenComment, .tokenFunction, .tokenConstant, .tokenProperty, .diffAdd, .diffRemove, .diffHunk, .lineNumber] {
                #expect(text.contains("[\(role.themeKey)]"), "\(name) lacks [\(role.themeKey)]")
            }
        }
    }
}
