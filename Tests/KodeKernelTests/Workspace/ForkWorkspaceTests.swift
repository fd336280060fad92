import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Fork workspaces")
struct ForkWorkspaceTests {
    static let parentScript = #"""
        {"turns":[
          {"text":"setup","tool_calls":[{"name":"fs_write","input":{"path":"shared.txt","content":"from the parent\n"}}]},
          {"text":"later","tool_calls":[{"name":"fs_write","input":{"path":"later.txt","content":"after the fork point\n"}}]},
          {"text":"done"}]}
        """#

    /// A child's script: overwrite shared.txt with its own text, then a second step that
    /// checks its own write is still there (a sibling writing the same path would show). The
    /// scripted model counts the assistant turns already in the conversation, so the first
    /// turn stands for the parent's, which the child inherits.
    static func childScript(_ name: String) -> String {
        #"""
        {"turns":[
          {"text":"the parent's turn"},
          {"text":"edit","tool_calls":[{"name":"fs_write","input":{"path":"shared.txt","content":"\#(name)\n"}}]},
          {"text":"check","tool_calls":[{"name":"bash_run","input":{"cmd":"for i in 1 2 3 4 5; do cat shared.txt >> seen.txt; sleep 0.05; done"}}]},
          {"text":"child done"}]}
        """#
    }

    @Test("copy: two children forked from one checkpoint run at once without touching each other's files")
    func concurrentCopies() async throws {
        let f = try WorkspaceFixture()
        let parent = try await f.agent(script: Self.parentScript)
        _ = try await parent.chat("go")
        let point = try #require(await parent.checkpoints().first { $0.preview == "results: fs_write" })
        await parent.close()

        let a = try await Agent.fork(parent.id, at: point.id, store: f.store, workspace: .copy)
        let b = try await Agent.fork(parent.id, at: point.id, store: f.store, workspace: .copy)
        let dirA = URL(fileURLWithPath: try await f.store.manifest(of: a).config.workDir)
        let dirB = URL(fileURLWithPath: try await f.store.manifest(of: b).config.workDir)
        #expect(dirA != dirB && dirA != f.workDir)
        // The checkpoint's files, not the parent's later ones.
        #expect(f.read("shared.txt", in: dirA) == "from the parent\n")
        #expect(f.read("later.txt", in: dirA) == nil)

        let childA = try await f.resume(a, script: Self.childScript("A"))
        let childB = try await f.resume(b, script: Self.childScript("B"))
        async let doneA = childA.chat("you are A")
        async let doneB = childB.chat("you are B")
        _ = try await (doneA, doneB)
        #expect(f.read("seen.txt", in: dirA) == String(repeating: "A\n", count: 5))
        #expect(f.read("seen.txt", in: dirB) == String(repeating: "B\n", count: 5))
        #expect(f.read("shared.txt") == "from the parent\n")
        #expect(f.read("seen.txt") == nil)
        // Each child's snapshots follow its own directory.
        #expect(try await f.latestTree(of: a)?.byPath["seen.txt"] != nil)
        await childA.close()
        await childB.close()
    }

    @Test("copy into --dir refuses a directory that already holds files")
    func copyRefusesNonEmpty() async throws {
        let f = try WorkspaceFixture()
        let parent = try await f.agent(script: Self.parentScript)
        _ = try await parent.chat("go")
        await parent.close()
        let busy = f.root.appendingPathComponent("busy")
        try f.write("x", "x", in: busy)
        await #expect(throws: WorkspaceError.directoryNotEmpty(busy.path)) {
            try await Agent.fork(parent.id, at: "latest", store: f.store, workspace: .copy, directory: busy.path)
        }
    }

    @Test("shared keeps the parent's directory")
    func shared() async throws {
        let f = try WorkspaceFixture()
        let parent = try await f.agent(script: Self.parentScript)
        _ = try await parent.chat("go")
        await parent.close()
        let child = try await Agent.fork(parent.id, at: "latest", store: f.store, workspace: .shared)
        #expect(try await f.store.manifest(of: child).config.workDir == f.workDir.path)
    }

    @Test("worktree: a git worktree at HEAD with the checkpoint's uncommitted state applied")
    func worktree() async throws {
        let f = try WorkspaceFixture()
        let repo = f.workDir
        try f.write("tracked.txt", "committed\n")
        try f.write("removed.txt", "committed, deleted later\n")
        try f.write("sub/inner.txt", "committed\n")
        try f.write(".gitignore", "*.log\n")
        try f.write("noise.log", "ignored\n")
        try git(["init", "-q", "-b", "main"], in: repo)
        try git(["add", "-A"], in: repo)
        try git(["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "base"], in: repo)
        // The agent works in a subdirectory of the repository.
        let script = #"{"turns":[{"text":"edit","tool_calls":[{"name":"bash_run","input":{"cmd":"echo uncommitted > inner.txt && echo new > fresh.txt && rm ../removed.txt"}}]},{"text":"done"}]}"#
        let parent = try await f.agent(script: script, workDir: repo.appendingPathComponent("sub"))
        _ = try await parent.chat("go")
        await parent.close()

        let target = f.root.appendingPathComponent("wt")
        let child = try await Agent.fork(parent.id, at: "latest", store: f.store, workspace: .worktree, directory: target.path)
        let workDir = try await f.store.manifest(of: child).config.workDir
        #expect(workDir == target.path + "/sub")
        #expect(f.read("sub/inner.txt", in: target) == "uncommitted\n")
        #expect(f.read("sub/fresh.txt", in: target) == "new\n")
        #expect(f.read("tracked.txt", in: target) == "committed\n")
        // Outside the agent's directory the worktree is the commit.
        #expect(f.read("removed.txt", in: target) == "committed, deleted later\n")
        #expect(FileManager.default.fileExists(atPath: target.appendingPathComponent(".git").path))
        let list = try git(["worktree", "list"], in: repo)
        #expect(list.contains(target.path))
        // The parent's files are untouched.
        #expect(f.read("sub/inner.txt") == "uncommitted\n")
    }

    @Test("worktree outside a git repository is refused with a clear error")
    func worktreeNeedsGit() async throws {
        let f = try WorkspaceFixture()
        let parent = try await f.agent(script: Self.parentScript)
        _ = try await parent.chat("go")
        await parent.close()
        await #expect(throws: WorkspaceError.self) {
            try await Agent.fork(parent.id, at: "latest", store: f.store, workspace: .worktree)
        }
    }

    @discardableResult
    private func git(_ arguments: [String], in directory: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = directory
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestTimeout(what: "git \(arguments) failed") }
        return String(decoding: data, as: UTF8.self)
    }
}
