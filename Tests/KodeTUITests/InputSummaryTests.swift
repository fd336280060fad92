import KodeKernel
import KodeTUI
import Testing

/// Summaries read the fields the built-in tools really take (docs/PERMISSIONS-AND-TOOLS.md).
@Suite("Input summaries")
struct InputSummaryTests {
    @Test func aCommandShowsAsAShellLine() {
        #expect(InputSummary.oneLine(tool: "bash_run", input: ["cmd": "git status"]) == "$ git status")
        #expect(InputSummary.oneLine(tool: "bash_run", input: ["cmd": "sleep 9", "background": true]) == "$ sleep 9 &")
        #expect(InputSummary.full(["cmd": "ls -la"]) == "$ ls -la")
    }

    @Test func anInputWithoutTheFieldFallsBackToItsJSON() {
        #expect(InputSummary.oneLine(tool: "bash_run", input: ["other": 1]) == #"$ {"other":1}"#)
    }

    @Test func writesAndEditsShowPathAndSize() {
        #expect(InputSummary.oneLine(tool: "fs_write", input: ["path": "a.txt", "content": "x\ny"]) == "a.txt (2 lines, 3 bytes)")
        #expect(InputSummary.oneLine(tool: "fs_edit", input: ["path": "b.swift", "old_string": "a", "new_string": "b\nc"]) == "b.swift (-1 +2 lines)")
    }

    @Test func delegationsRoomMessagesAndSkillsShowTheirWordsNotJSON() {
        #expect(InputSummary.oneLine(tool: "task_run", input: ["task": "review the parser\nthen report", "template": "reviewer", "tools": ["fs_read", "fs_glob"]])
                == "review the parser [reviewer; fs_read, fs_glob]")
        #expect(InputSummary.oneLine(tool: "task_run", input: ["task": "look around"]) == "look around")
        #expect(InputSummary.oneLine(tool: "room_send", input: ["text": "@coder go", "room": "design"]) == "#design @coder go")
        #expect(InputSummary.oneLine(tool: "skill", input: ["name": "release"]) == "release")
    }
}
