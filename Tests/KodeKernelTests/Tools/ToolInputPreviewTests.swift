import Testing
import KodeKernel

@Suite struct ToolInputPreviewTests {
    @Test func perToolSummaries() {
        #expect(ToolInputPreview.render(name: "bash_run", input: ["cmd": "git status --short"]) == "$ git status --short")
        #expect(ToolInputPreview.render(name: "bash_run", input: ["cmd": "npm start", "background": true]) == "$ npm start &")
        #expect(ToolInputPreview.render(name: "fs_write", input: ["path": "a.txt", "content": "x\ny\n"]) == "write a.txt (2 lines, 4 bytes)")
        #expect(ToolInputPreview.render(name: "fs_edit", input: ["path": "a.txt", "old_string": "a", "new_string": "b\nc"]) == "edit a.txt: -1 +2 lines")
        #expect(ToolInputPreview.render(name: "fs_edit", input: ["path": "a.txt", "old_string": "a", "new_string": "b", "replace_all": true]) == "edit a.txt: -1 +1 lines (all occurrences)")
        #expect(ToolInputPreview.render(name: "fs_read", input: ["path": "a.txt"]) == "fs_read {\"path\":\"a.txt\"}")
    }

    @Test func oneBoundedLineWithVisibleEscapes() {
        let nasty = ToolInputPreview.render(name: "bash_run", input: ["cmd": "echo a\nprintf '\u{1B}[2J'"])
        #expect(nasty == "$ echo a\\nprintf '\\u{1B}[2J'")
        let long = ToolInputPreview.render(name: "bash_run", input: ["cmd": .string(String(repeating: "x", count: 1_000))])
        #expect(long.count == ToolInputPreview.maxLength)
        #expect(long.hasSuffix("…"))
    }
}
