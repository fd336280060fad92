import Foundation
import KodeKernel
import KodeTestSupport
import Testing

/// The workspace operations the app uses, through the client API on an embedded hub.
@Suite("Workspace through the client API")
struct WorkspaceClientTests {
    @Test("change counts per checkpoint, the diff since a checkpoint, a rewind through the handle, a fork with a copy")
    func throughTheHub() async throws {
        let f = try WorkspaceFixture()
        try f.write("notes.txt", "one\ntwo\nthree\n")
        let script = #"""
            {"turns":[
              {"text":"a","tool_calls":[{"name":"fs_edit","input":{"path":"notes.txt","old_string":"two","new_string":"TWO"}}]},
              {"text":"b","tool_calls":[{"name":"bash_run","input":{"cmd":"echo x > x.txt; echo y > y.txt"}}]},
              {"text":"end"}]}
            """#
        let parsed = try ScriptedScript.parse(Data(script.utf8), source: "test")
        let hub = LocalAgentHub(store: f.store, wiring: AgentWiring(makeProvider: { _ in ScriptedProvider(script: parsed) }), retention: .closeWhenReleased)
        var config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: f.workDir.path)
        config.permission.mode = .auto
        let handle = try await hub.create(config)
        let recorder = try await handle.subscribe(channels: Set(EventChannel.allCases), since: nil, kinds: [.done])
        _ = try await handle.send("go")
        for try await _ in recorder { break }
        let points = try await hub.state(of: handle.id, at: nil).state.checkpoints
        let counts = try await hub.workspaceChanges(of: handle.id)
        let edit = try #require(points.first { $0.preview == "results: fs_edit" })
        let shell = try #require(points.first { $0.preview == "results: bash_run" })
        #expect(counts[edit.id] == 1)
        #expect(counts[shell.id] == 2)

        let diff = try await hub.workspaceDiff(of: handle.id, at: points[0].id)
        #expect(diff.files.map(\.path).sorted() == ["notes.txt", "x.txt", "y.txt"])
        let notes = try #require(diff.files.first { $0.path == "notes.txt" })
        #expect(notes.action == .modify)
        #expect(notes.lines.contains("- two") && notes.lines.contains("+ TWO"))
        #expect(diff.files.first { $0.path == "x.txt" }?.action == .create)

        let plan = try await handle.rewindPlan(to: edit.id)
        #expect(Set(plan.changes.map(\.path)) == ["x.txt", "y.txt"])
        _ = try await handle.rewind(to: edit.id)
        #expect(f.read("x.txt") == nil && f.read("notes.txt") == "one\nTWO\nthree\n")

        let child = try await hub.fork(handle.id, at: points[0].id, workspace: .copy)
        let childDir = URL(fileURLWithPath: try await hub.manifest(of: child).config.workDir)
        #expect(f.read("notes.txt", in: childDir) == "one\ntwo\nthree\n")
        await handle.release(.leave)
    }
}
