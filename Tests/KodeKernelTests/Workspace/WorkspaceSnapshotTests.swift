import Foundation
@testable import KodeKernel
import KodeTestSupport
import Testing

@Suite("Workspace snapshots")
struct WorkspaceSnapshotTests {
    @Test("SHA-256 matches the standard's test vectors")
    func sha256Vectors() {
        #expect(SHA256.hex(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var hasher = SHA256()
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        // Fed in uneven pieces, so the buffering between blocks is exercised.
        var offset = 0
        var step = 1
        while offset < million.count {
            let end = min(offset + step, million.count)
            million[offset..<end].withUnsafeBytes { hasher.update($0) }
            offset = end
            step = step * 3 % 997 + 1
        }
        #expect(hasher.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test(".gitignore rules: negation, directories only, anchoring, nested files; exclude and include")
    func ignoreRules() {
        var rules = IgnoreRules(config: WorkspaceConfig(exclude: ["secret.txt"], include: ["keep.log"]))
        rules.add(gitignore: "# comment\n*.log\n!important.log\nbuild/\n/top.txt\ndocs/**/*.tmp\n", in: "")
        #expect(rules.verdict("a.log", name: "a.log", isDirectory: false) == .ignoredByGit)
        #expect(rules.verdict("sub/a.log", name: "a.log", isDirectory: false) == .ignoredByGit)
        #expect(rules.verdict("important.log", name: "important.log", isDirectory: false) == .capture)
        #expect(rules.verdict("keep.log", name: "keep.log", isDirectory: false) == .capture)
        #expect(rules.verdict("build", name: "build", isDirectory: true) == .ignoredByGit)
        #expect(rules.verdict("build", name: "build", isDirectory: false) == .capture)
        #expect(rules.verdict("top.txt", name: "top.txt", isDirectory: false) == .ignoredByGit)
        #expect(rules.verdict("sub/top.txt", name: "top.txt", isDirectory: false) == .capture)
        #expect(rules.verdict("docs/a/b/c.tmp", name: "c.tmp", isDirectory: false) == .ignoredByGit)
        #expect(rules.verdict("secret.txt", name: "secret.txt", isDirectory: false) == .excluded)
        let depth = rules.rules.count
        rules.add(gitignore: "local.txt\n", in: "sub")
        #expect(rules.verdict("sub/local.txt", name: "local.txt", isDirectory: false) == .ignoredByGit)
        #expect(rules.verdict("local.txt", name: "local.txt", isDirectory: false) == .capture)
        rules.leave(to: depth)
        #expect(rules.verdict("sub/local.txt", name: "local.txt", isDirectory: false) == .capture)
    }

    @Test("fs tools, bash_run and another process: creates, edits, deletes, renames, modes and symlinks are captured")
    func capturesEveryKindOfChange() async throws {
        let f = try WorkspaceFixture()
        try f.write("keep.txt", "kept\n")
        try f.write("old.txt", "to be renamed\n")
        try f.write("gone.txt", "to be deleted\n")
        let script = #"""
            {"turns":[
              {"text":"write","tool_calls":[{"name":"fs_write","input":{"path":"new/a.txt","content":"alpha\n"}}]},
              {"text":"edit","tool_calls":[{"name":"fs_edit","input":{"path":"keep.txt","old_string":"kept","new_string":"edited"}}]},
              {"text":"shell","tool_calls":[{"name":"bash_run","input":{"cmd":"mv old.txt renamed.txt && rm gone.txt && chmod 700 renamed.txt && ln -s /etc/hostname outside-link && ln -s keep.txt inside-link"}}]},
              {"text":"first done"},
              {"text":"second done"}]}
            """#
        let agent = try await f.agent(script: script)
        _ = try await agent.chat("go")
        let snapshots = try await f.snapshots(of: agent.id)
        // Turn start, then one per tool batch.
        #expect(snapshots.count == 4)
        #expect(snapshots[1].changedPaths == ["new/a.txt"])
        #expect(snapshots[2].changedPaths == ["keep.txt"])
        #expect(Set(snapshots[3].changedPaths) == ["old.txt", "renamed.txt", "gone.txt", "outside-link", "inside-link"])
        let tree = try #require(try await f.latestTree(of: agent.id)).byPath
        #expect(tree["renamed.txt"]?.mode == 0o700)
        #expect(tree["outside-link"]?.kind == .symlink && tree["outside-link"]?.detail == "/etc/hostname")
        #expect(tree["inside-link"]?.kind == .symlink && tree["inside-link"]?.detail == "keep.txt")
        #expect(tree["gone.txt"] == nil && tree["old.txt"] == nil)
        let blobs = BlobStore(storeRoot: f.store.root)
        #expect(try blobs.read(try #require(tree["keep.txt"]).hash) == Array("edited\n".utf8))
        // The renamed file's contents were stored once: same blob before and after the move.
        let first = try WorkspaceTree.load(snapshots[0].tree, from: blobs).byPath
        #expect(first["old.txt"]?.hash == tree["renamed.txt"]?.hash)

        // Another process changes the directory between turns: the next turn's snapshot has it.
        let other = Process()
        other.executableURL = URL(fileURLWithPath: "/bin/sh")
        other.arguments = ["-c", "echo outside > by-other.txt && rm new/a.txt"]
        other.currentDirectoryURL = f.workDir
        try other.run()
        other.waitUntilExit()
        _ = try await agent.chat("again")
        let after = try #require(try await f.snapshots(of: agent.id).last)
        #expect(Set(after.changedPaths) == ["by-other.txt", "new/a.txt"])
        #expect(try await f.latestTree(of: agent.id)?.byPath["by-other.txt"]?.kind == .file)
        await agent.close()
    }

    @Test("only changed files are read again; an unchanged tree adds nothing to the store")
    func incremental() async throws {
        let f = try WorkspaceFixture()
        for i in 0..<50 { try f.write("dir\(i % 5)/file\(i).txt", String(repeating: "x", count: 1000 + i)) }
        let script = #"{"turns":[{"text":"a","tool_calls":[{"name":"fs_glob","input":{"pattern":"*"}}]},{"text":"b","tool_calls":[{"name":"fs_write","input":{"path":"dir1/file1.txt","content":"changed"}}]},{"text":"end"}]}"#
        let agent = try await f.agent(script: script)
        _ = try await agent.chat("go")
        let snapshots = try await f.snapshots(of: agent.id)
        #expect(snapshots.count == 3)
        // The first snapshot has nothing to compare with.
        #expect(snapshots[0].files == 50 && snapshots[0].changed == 0)
        #expect(snapshots[1].changed == 0 && snapshots[1].bytesAdded == 0 && snapshots[1].tree == snapshots[0].tree)
        #expect(snapshots[2].changed == 1)
        // One content blob, the changed directory's tree object and the root's: nothing else.
        let unchangedDirectories = try WorkspaceTree.load(snapshots[2].tree, from: BlobStore(storeRoot: f.store.root))
        #expect(snapshots[2].bytesAdded < 7 + 2 * 2_000)
        #expect(unchangedDirectories.directories["dir2"] == (try WorkspaceTree.load(snapshots[0].tree, from: BlobStore(storeRoot: f.store.root))).directories["dir2"])
        await agent.close()
    }

    @Test("skipped: .git, the store, .gitignore'd paths and excludes; large files are listed as not captured")
    func skipsAreExplicit() async throws {
        let f = try WorkspaceFixture()
        try f.write(".git/HEAD", "ref: refs/heads/main\n")
        try f.write(".gitignore", "*.o\nbuild/\n")
        try f.write("main.c", "int main(){}\n")
        try f.write("main.o", "binary")
        try f.write("build/out.bin", "binary")
        try f.write("private.key", "secret")
        try f.write("big.bin", String(repeating: "b", count: 3 * 1024 * 1024))
        // A store inside the work directory is never captured either.
        let inner = try FileStore(root: f.workDir.appendingPathComponent(".kode"))
        var config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: f.workDir.path)
        config.workspace = WorkspaceConfig(maxFileSize: 1024 * 1024, exclude: ["*.key"])
        let agent = try await Agent.create(config: config, store: inner, provider: ScriptedProvider(script: try ScriptedScript.parse(Data(#"{"turns":[{"text":"ok"}]}"#.utf8), source: "t")))
        _ = try await agent.chat("go")
        let records = try await inner.records(of: agent.id, after: 0).compactMap { if case .workspaceSnapshot(let s) = $0.body { return s } else { return nil } }
        let snapshot = try #require(records.first)
        let tree = try WorkspaceTree.load(snapshot.tree, from: BlobStore(storeRoot: inner.root)).byPath
        #expect(Set(tree.keys) == [".gitignore", "main.c", "big.bin"])
        #expect(tree["big.bin"]?.kind == .notCaptured)
        #expect(snapshot.notCaptured == [WorkspaceNotCaptured(path: "big.bin", reason: "larger than the 1 MB limit")])
        // main.o, build/, private.key (the store and .git are skipped without counting).
        #expect(snapshot.ignored == 3)
        await agent.close()
    }

    @Test("a batch cut by an interrupt is snapshotted once its tools were stopped")
    func interruptedBatch() async throws {
        let f = try WorkspaceFixture()
        let agent = try await f.agent(script: #"{"turns":[{"text":"x","tool_calls":[{"name":"bash_run","input":{"cmd":"echo partial > cut.txt; sleep 60"}}]},{"text":"end"}]}"#)
        let recorder = EventRecorder(agent)
        try await agent.send("go")
        _ = try await recorder.wait(for: .toolStart)
        // The tool's first effect, then the interrupt.
        let deadline = ContinuousClock.now + .seconds(20)
        while f.read("cut.txt") == nil && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        await agent.interrupt()
        let snapshots = try await f.snapshots(of: agent.id)
        #expect(snapshots.count == 2)
        #expect(snapshots.last?.changedPaths == ["cut.txt"])
        let checkpoint = try #require(await agent.checkpoints().last)
        #expect(checkpoint.preview.hasPrefix("results:"))
        await agent.close()
    }
}
