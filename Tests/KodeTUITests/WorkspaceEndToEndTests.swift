import Foundation
import KodeTestSupport
import Testing

/// The checkpoint tree's workspace keys in the real app (tmux): the file count of a step, `p`'s
/// file diff, `r` with its summary and `y`, on the scripted model in a temporary store.
@Suite(.serialized, .enabled(if: TmuxDriver.isAvailable, "tmux is not installed (scripts/test.sh installs it)"))
struct WorkspaceEndToEndTests {
    static let script = """
        {"turns":[
          {"text":"Writing a.txt.","tool_calls":[{"name":"fs_write","input":{"path":"a.txt","content":"hello\\n"}}]},
          {"text":"wrote a.txt"}
        ]}
        """

    @Test func previewAndRewindFromTheTree() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: EndToEndTests.binary.path), "build the kode binary first (swift build)")
        let app = try await AppUnderTmux.launch(
            script: Self.script, width: 200, height: 40, prefix: "kode-e2e-ws", files: ["old.txt": "kept\n"], arguments: ["--permission", "auto"])
        let (term, work) = (app.term, app.work)
        defer { term.kill(); withExtendedLifetime(app) {} }
        try term.type("write it")
        try await term.waitFor("wrote a.txt")
        #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("a.txt").path))

        // The tree: the tool step changed one file. Its first checkpoint is the prompt.
        try term.keys("C-t")
        try await term.waitFor("1 file results: fs_write")
        // The first snapshot has nothing to compare with: the prompt's checkpoint shows no count.
        #expect(!(try term.capture()).contains("1 file write it"))
        try term.keys("j")
        try term.keys("p")
        let preview = try await term.waitFor("files changed since this checkpoint")
        #expect(preview.contains("create a.txt"))
        #expect(preview.contains("+ hello"))
        try term.keys("Escape")
        // Wait for the preview to close: an Esc followed at once by a key reads as Alt+key.
        _ = try await term.waitUntil(timeout: 15, what: "the preview to close") { !$0.contains("files changed since this checkpoint") }

        try term.keys("r")
        let summary = try await term.waitFor("y rewinds")
        #expect(summary.contains("delete  a.txt"))
        #expect(summary.contains("conversation: 4 → 1 message(s)"))
        try term.keys("y")
        try await term.waitFor("rewound to")
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("a.txt").path))
        #expect((try? String(contentsOf: work.appendingPathComponent("old.txt"), encoding: .utf8)) == "kept\n")
        try term.keys("C-c")
        try term.keys("C-c")
        try await term.waitFor("EXIT:0")
    }
}
