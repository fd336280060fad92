import Foundation
import KodeTestSupport
import Testing

/// The real `kode` binary under tmux: a reply's markdown is drawn as markdown (no `**` left), an
/// edit's approval shows its diff against the real file with line numbers, the finished cell
/// keeps the diff collapsed, and a todo list is a checklist.
@Suite(.serialized, .enabled(if: TmuxDriver.isAvailable, "tmux is not installed (scripts/test.sh installs it)"))
struct RichTranscriptEndToEndTests {
    static let script = #"""
        {"turns":[
          {"text":"## Plan\n\nThe **scripted model** edits `notes.md`:\n\n```swift\nlet answer = 42 // why\n```\n","tool_calls":[{"name":"fs_edit","input":{"path":"notes.md","old_string":"beta","new_string":"BETA"}}]},
          {"text":"- [x] edited\n- [ ] reviewed","tool_calls":[{"name":"todo_write","input":{"todos":[{"id":"1","title":"edit notes","status":"completed"},{"id":"2","title":"review notes","status":"in_progress"},{"id":"3","title":"ship","status":"pending"}]}}]},
          {"text":"all **done**"}
        ]}
        """#

    @Test func markdownDiffsAndChecklistsInTheRealApp() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: EndToEndTests.binary.path), "build the kode binary first (swift build)")
        let app = try await AppUnderTmux.launch(
            script: Self.script, width: 120, height: 40, prefix: "kode-e2e-rich", files: ["notes.md": "alpha\nbeta\ngamma\n"])
        let (term, work) = (app.term, app.work)
        defer { term.kill(); withExtendedLifetime(app) {} }
        try term.type("edit the notes")

        // The modal shows the diff against the file as it is, with its line numbers.
        let modal = try await term.waitFor("2 - beta")
        #expect(modal.contains("notes.md  +1 −1"))
        #expect(modal.contains("@@ -1,3 +1,3 @@"))
        #expect(modal.contains("2 + BETA"))
        #expect(modal.contains("1   alpha"))
        // The reply above it is markdown: no markers left, the code block framed.
        #expect(modal.contains("The scripted model edits notes.md:"))
        #expect(!modal.split(separator: "\n").map { String($0.prefix(74)) }.joined().contains("**"))
        #expect(modal.contains("┌─ swift"))
        #expect(modal.contains("│ let answer = 42 // why"))
        try await Task.sleep(for: .milliseconds(400))  // past the activation guard
        try term.keys("y")

        let done = try await term.waitFor("all done")
        #expect((try? String(contentsOf: work.appendingPathComponent("notes.md"), encoding: .utf8)) == "alpha\nBETA\ngamma\n")
        // The finished edit keeps its diff, collapsed; the todo list is a checklist.
        #expect(done.contains("✓ fs_edit notes.md (-1 +1 lines)"))
        #expect(done.contains("⎿ +1 −1"))
        #expect(done.contains("☑ edit notes"))
        #expect(done.contains("◐ review notes"))
        #expect(done.contains("☐ ship"))
        #expect(done.contains("☑ edited"))
        // The conversation column (the tree beside it previews checkpoints as plain text).
        let conversation = done.split(separator: "\n").map { String($0.prefix(74)) }.joined(separator: "\n")
        #expect(!conversation.contains("{\"todos\""))
        #expect(!conversation.contains("**"))
        try term.keys("C-c")
        try term.keys("C-c")
        try await term.waitFor("EXIT:0")
    }
}
