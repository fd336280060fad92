import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Rewind")
struct RewindTests {
    static let script = #"""
        {"turns":[
          {"text":"one","tool_calls":[{"name":"fs_write","input":{"path":"a.txt","content":"v1\n"}}]},
          {"text":"two","tool_calls":[{"name":"bash_run","input":{"cmd":"echo v2 > a.txt; echo b > b.txt; chmod 600 a.txt; rm base.txt; mkdir -p d/e; echo deep > d/e/f.txt; ln -s /etc outside"}}]},
          {"text":"finished"}]}
        """#

    @Test("rewind restores files, modes, deletions and links; ignored files stay; the rewind itself can be undone")
    func rewindAndUndo() async throws {
        let f = try WorkspaceFixture()
        try f.write(".gitignore", "*.cache\n")
        try f.write("base.txt", "base\n")
        try f.write("local.cache", "not mine\n")
        let agent = try await f.agent(script: Self.script)
        _ = try await agent.chat("go")
        let finalState = try DirectoryState.read(f.workDir)
        let points = await agent.checkpoints()
        let afterFirst = try #require(points.first { $0.preview == "results: fs_write" })
        // Outside edits after the run are part of "now" too.
        try f.write("later.txt", "made by hand\n")
        try f.write("local.cache", "changed, still ignored\n")
        let now = try DirectoryState.read(f.workDir)

        let plan = try await agent.rewindPlan(to: afterFirst.id)
        #expect(plan.changes.contains(WorkspaceChange(path: "later.txt", action: .delete)))
        #expect(plan.changes.contains(WorkspaceChange(path: "base.txt", action: .create)))
        #expect(plan.changes.contains(WorkspaceChange(path: "a.txt", action: .modify)))
        #expect(!plan.changes.contains { $0.path == "local.cache" })
        #expect(plan.messagesAfter == afterFirst.messageCount)

        let outcome = try await agent.rewind(to: afterFirst.id)
        var expected = [".gitignore": "file 644 *.cache\n", "base.txt": "file 644 base\n", "a.txt": "file 644 v1\n",
                        "local.cache": "file 644 changed, still ignored\n"]
        #expect(try DirectoryState.read(f.workDir) == expected)
        let state = await agent.snapshot()
        #expect(state.messages.count == afterFirst.messageCount)
        #expect(state.messages.last?.content.contains { if case .toolResult = $0 { return true } else { return false } } == true)

        // Undo: back to the moment before the rewind, hand edits included.
        _ = try await agent.rewind(to: outcome.before.id)
        #expect(try DirectoryState.read(f.workDir) == now)
        #expect(await agent.snapshot().messages.count == points.last.map(\.messageCount))
        _ = finalState

        // Files only: the conversation stays where it is.
        let messages = await agent.snapshot().messages.count
        _ = try await agent.rewind(to: afterFirst.id, files: true, conversation: false)
        expected["local.cache"] = "file 644 changed, still ignored\n"
        #expect(try DirectoryState.read(f.workDir) == expected)
        #expect(await agent.snapshot().messages.count == messages)
        await agent.close()
    }

    @Test("a rewind survives a reopen, and the agent continues from the rewound conversation")
    func continueAfterRewind() async throws {
        let f = try WorkspaceFixture()
        let agent = try await f.agent(script: Self.script)
        _ = try await agent.chat("go")
        let first = try #require(await agent.checkpoints().first)
        _ = try await agent.rewind(to: first.id)
        await agent.close()
        let reopened = try await f.resume(agent.id, script: #"{"turns":[{"text":"again","tool_calls":[{"name":"fs_write","input":{"path":"z.txt","content":"z"}}]},{"text":"ok"}]}"#)
        #expect(await reopened.snapshot().messages.count == first.messageCount)
        _ = try await reopened.chat("once more")
        #expect(f.read("z.txt") == "z")
        #expect(f.read("a.txt") == nil)
        await reopened.close()
    }

    @Test("restoring never writes through a link to outside the work directory")
    func neverWritesOutside() async throws {
        let f = try WorkspaceFixture()
        let outside = f.root.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try f.write("d/file.txt", "inside\n")
        let agent = try await f.agent(script: #"{"turns":[{"text":"x","tool_calls":[{"name":"bash_run","input":{"cmd":"rm -r d && ln -s ../outside d"}}]},{"text":"end"}]}"#)
        _ = try await agent.chat("go")
        let start = try #require(await agent.checkpoints().first)
        _ = try await agent.rewind(to: start.id)
        // The link was replaced by a real directory; nothing was written into the target.
        #expect(try DirectoryState.read(f.workDir) == ["d": "dir 755", "d/file.txt": "file 644 inside\n"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
        await agent.close()
    }

    @Test("rewinding while a turn waits for approval is refused with a clear error")
    func refusedWhileBusy() async throws {
        let f = try WorkspaceFixture()
        var config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: f.workDir.path)
        config.permission.mode = .approval
        let script = try ScriptedScript.parse(Data(#"{"turns":[{"text":"x","tool_calls":[{"name":"bash_run","input":{"cmd":"true"}}]},{"text":"end"}]}"#.utf8), source: "t")
        let agent = try await Agent.create(config: config, store: f.store, provider: ScriptedProvider(script: script))
        let recorder = EventRecorder(agent)
        try await agent.send("go")
        _ = try await recorder.wait(for: .permissionRequired)
        await #expect(throws: WorkspaceError.self) { try await agent.rewind(to: "latest") }
        await agent.close()
    }
}
