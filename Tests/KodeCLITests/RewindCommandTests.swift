import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Rewind and workspace commands", .serialized)
struct RewindCommandTests {
    /// One tool step that changes the files in every way a rewind must undo.
    static let script = #"""
        {"turns":[
          {"text":"changing","tool_calls":[{"name":"bash_run","input":{"cmd":"echo new > n1.txt; echo new > n2.txt; mkdir -p dir/sub; echo deep > dir/sub/x.txt; echo edited > edit.txt; rm gone.txt; chmod 700 mode.txt; ln -s /etc link"}}]},
          {"text":"finished"}]}
        """#

    /// A fixture after the script ran: the agent, the directory before and after.
    func prepared() async throws -> (CLIFixture, String, before: [String: String], after: [String: String], scriptPath: String) {
        let f = try CLIFixture()
        let work = URL(fileURLWithPath: f.workDir)
        for (name, text) in [("edit.txt", "original\n"), ("gone.txt", "deleted later\n"), ("mode.txt", "mode\n"), (".gitignore", "*.tmp\n")] {
            try Data(text.utf8).write(to: work.appendingPathComponent(name))
        }
        let before = try DirectoryState.read(work)
        let script = try f.script(Self.script)
        let run = try await f.run(script, ["--permission", "auto", "--prompt", "go"])
        #expect(run.status == 0, "\(run.stderr)")
        let id = try #require(run.agentId)
        // An ignored file made after the run: no rewind may touch it.
        try Data("scratch\n".utf8).write(to: work.appendingPathComponent("scratch.tmp"))
        return (f, id, before, try DirectoryState.read(work), script)
    }

    func checkpoints(_ f: CLIFixture, _ id: String) async throws -> [JSONValue] {
        try JSONValue.parse(try await KodeCLI.run(["checkpoints", id, "--json", "--store", f.store]).stdout).arrayValue ?? []
    }

    @Test("kode rewind shows what will change, asks, and --yes rewinds; rewinding to the printed checkpoint undoes it")
    func rewindAndUndo() async throws {
        let (f, id, before, after, _) = try await prepared()
        let first = try #require(try await checkpoints(f, id).first?["id"]?.stringValue)

        let declined = try await KodeCLI.run(["rewind", id, "--to", first, "--store", f.store], stdin: "n\n")
        #expect(declined.status == 1)
        #expect(declined.stdout.contains("create  gone.txt") && declined.stdout.contains("delete  n1.txt") && declined.stdout.contains("mode    mode.txt"))
        #expect(declined.stdout.contains("conversation: 4 → 1 message(s)"))
        #expect(declined.stdout.contains("cancelled; nothing changed"))
        #expect(try DirectoryState.read(URL(fileURLWithPath: f.workDir)) == after)

        let done = try await KodeCLI.run(["rewind", id, "--to", first, "--store", f.store], stdin: "y\n")
        #expect(done.status == 0, "\(done.stderr)")
        var expected = before
        expected["scratch.tmp"] = after["scratch.tmp"]
        #expect(try DirectoryState.read(URL(fileURLWithPath: f.workDir)) == expected)
        #expect(try await f.export(id)["messages"]?.arrayValue?.count == 1)

        let undo = try #require(done.stdout.split(separator: "\n").last { $0.contains("undo with:") })
        let beforePoint = try #require(undo.split(separator: " ").last.map(String.init))
        let undone = try await KodeCLI.run(["rewind", id, "--to", beforePoint, "--yes", "--store", f.store])
        #expect(undone.status == 0, "\(undone.stderr)")
        #expect(try DirectoryState.read(URL(fileURLWithPath: f.workDir)) == after)
        #expect(try await f.export(id)["messages"]?.arrayValue?.count == 4)
    }

    @Test("killed at every step of a rewind, the next open completes it (or nothing had changed)")
    func killAtEveryRewindStep() async throws {
        var step = 1
        var finished = false
        // Per killed step, whether the next open said it completed an interrupted rewind.
        var completedOnOpen: [Int: Bool] = [:]
        while !finished {
            let (f, id, before, after, _) = try await prepared()
            let first = try #require(try await checkpoints(f, id).first?["id"]?.stringValue)
            let killed = try await KodeCLI.run(["rewind", id, "--to", first, "--yes", "--store", f.store],
                                               environment: ["KODE_FAULT_KILL_AT_REWIND_STEP": "\(step)"])
            finished = !killed.killed
            if finished {
                #expect(killed.status == 0, "\(killed.stderr)")
            }
            // Any open finishes an interrupted rewind before anything else.
            let reopened = try await KodeCLI.run(["run", "--agent", id, "--continue", "--store", f.store])
            #expect(reopened.status == 0, "step \(step): \(reopened.stderr)")
            var rewound = before
            rewound["scratch.tmp"] = after["scratch.tmp"]
            let now = try DirectoryState.read(URL(fileURLWithPath: f.workDir))
            let messages = try await f.export(id)["messages"]?.arrayValue?.count
            if step == 1 && !finished {
                // Killed once the present was recorded, before the intent: nothing had changed.
                #expect(now == after, "step 1")
                #expect(messages == 4)
            } else {
                #expect(now == rewound, "killed at rewind step \(step): the directory is not the checkpoint's")
                #expect(messages == 1, "killed at rewind step \(step): the conversation was not rewound")
                if !finished {
                    let events = try await f.events(id)
                    completedOnOpen[step] = events.contains { if case .error(let e) = $0.event { return e.message.contains("interrupted by a crash and has been completed") } else { return false } }
                }
            }
            // Whatever happened, the rewind can be undone from the checkpoint it recorded first.
            let points = try await checkpoints(f, id)
            if let undo = points.last(where: { $0["preview"]?.stringValue?.hasPrefix("before rewind") == true })?["id"]?.stringValue {
                let undone = try await KodeCLI.run(["rewind", id, "--to", undo, "--yes", "--store", f.store])
                #expect(undone.status == 0, "\(undone.stderr)")
                #expect(try DirectoryState.read(URL(fileURLWithPath: f.workDir)) == after, "step \(step): undo did not restore the files")
            }
            step += 1
            if step > 40 { break }
        }
        // Present recorded, intent, 9 changes (6 removals, a file restored, one edited, a mode), done;
        // then a run that is not killed.
        let doneStep = step - 2
        #expect(doneStep == 12, "the rewind reported \(doneStep) steps; its plan has 9 changes")
        // Killed after the intent and before the completion was durable: the open finished it.
        for killed in 2..<doneStep { #expect(completedOnOpen[killed] == true, "step \(killed): no notice that the open completed the rewind") }
        #expect(completedOnOpen[doneStep] == false, "killed after the completion was durable, yet the open redid the rewind")
    }

    @Test("kode fork --workspace copy gives the child its own directory; kode store gc keeps what snapshots need")
    func forkCopyAndGC() async throws {
        let (f, id, _, after, _) = try await prepared()
        let first = try #require(try await checkpoints(f, id).first?["id"]?.stringValue)
        let fork = try await KodeCLI.run(["fork", id, "--at", first, "--workspace", "copy", "--json", "--store", f.store])
        #expect(fork.status == 0, "\(fork.stderr)")
        let workDir = try #require(try JSONValue.parse(fork.stdout)["workDir"]?.stringValue)
        #expect(workDir != f.workDir)
        let child = try DirectoryState.read(URL(fileURLWithPath: workDir))
        #expect(child["gone.txt"] != nil && child["n1.txt"] == nil)
        #expect(try DirectoryState.read(URL(fileURLWithPath: f.workDir)) == after)

        let bad = try await KodeCLI.run(["fork", id, "--at", first, "--workspace", "worktree", "--store", f.store])
        #expect(bad.status != 0 && bad.stderr.contains("not inside a git repository"))

        let gc = try await KodeCLI.run(["store", "gc", "--grace", "0", "--store", f.store])
        #expect(gc.status == 0, "\(gc.stderr)")
        #expect(gc.stdout.contains("removed"))
        // Everything still rewinds after a collection.
        let rewind = try await KodeCLI.run(["rewind", id, "--to", first, "--yes", "--store", f.store])
        #expect(rewind.status == 0, "\(rewind.stderr)")
    }

    @Test("a work directory with unreadable files: a clear notice, everything else captured and restored")
    func unreadableFiles() async throws {
        let f = try CLIFixture()
        // Root reads everything, so as root the run drops to an unprivileged user.
        let asRoot = getuid() == 0
        if asRoot { chmod(f.root.path, 0o777) }
        let work = URL(fileURLWithPath: f.workDir)
        try Data("fine\n".utf8).write(to: work.appendingPathComponent("ok.txt"))
        try Data("secret\n".utf8).write(to: work.appendingPathComponent("locked.txt"))
        let script = try f.script(#"{"turns":[{"text":"w","tool_calls":[{"name":"fs_write","input":{"path":"made.txt","content":"made\n"}}]},{"text":"done"}]}"#)
        if asRoot {
            chmod(f.workDir, 0o777)
            chmod(script, 0o644)
            for name in ["ok.txt"] { chmod(work.appendingPathComponent(name).path, 0o666) }
            chown(work.appendingPathComponent("locked.txt").path, 0, 0)
        }
        chmod(work.appendingPathComponent("locked.txt").path, 0o000)
        let arguments = ["run", "--json", "--permission", "auto", "--store", f.store, "--workdir", f.workDir,
                         "--provider", "scripted", "--script", script, "--prompt", "go"]
        let run: KodeCLI.Result
        if asRoot {
            let binary = try KodeCLI.binary().path
            let process = try RunningProcess(
                executable: URL(fileURLWithPath: "/usr/bin/setpriv"),
                arguments: ["--reuid=65534", "--regid=65534", "--clear-groups", binary] + arguments, stdin: nil, environment: [:])
            run = try await process.finish(timeout: .seconds(60))
        } else {
            run = try await KodeCLI.run(arguments)
        }
        #expect(run.status == 0, "\(run.stderr)")
        let warning = run.envelopes.compactMap { if case .error(let e) = $0.event { return e } else { return nil } }.first
        #expect(warning?.severity == .warning)
        #expect(warning?.message.contains("could not be read") == true)
        #expect(warning?.detail?.contains("locked.txt") == true)
        chmod(work.appendingPathComponent("locked.txt").path, 0o600)
        let store = try FileStore(root: URL(fileURLWithPath: f.store))
        let id = try #require(try await store.list().first?.id)
        let snapshots = try await store.records(of: id, after: 0).compactMap { if case .workspaceSnapshot(let s) = $0.body { return s } else { return nil } }
        #expect(snapshots.count == 2)
        #expect(snapshots.allSatisfy { $0.notCaptured.map(\.path) == ["locked.txt"] })
        #expect(snapshots.last?.files == 2)
        let tree = try WorkspaceTree.load(try #require(snapshots.last).tree, from: BlobStore(storeRoot: store.root)).byPath
        #expect(tree["made.txt"]?.kind == .file && tree["ok.txt"]?.kind == .file && tree["locked.txt"]?.kind == .notCaptured)
    }

    @Test("kode store gc in one process while kode run changes files in another: no snapshot loses a blob")
    func gcWhileAnotherProcessRuns() async throws {
        let f = try CLIFixture()
        // Garbage to collect: an agent whose only file nobody else has, then removed.
        let other = try f.script(#"{"turns":[{"text":"x","tool_calls":[{"name":"fs_write","input":{"path":"only-here.txt","content":"garbage"}}]},{"text":"ok"}]}"#, name: "other.json")
        let first = try await f.run(other, ["--permission", "auto", "--prompt", "go"])
        let removed = try #require(first.agentId)
        #expect(try await KodeCLI.run(["rm", removed, "--store", f.store]).status == 0)
        try? FileManager.default.removeItem(atPath: f.workDir + "/only-here.txt")

        let turns = (0..<40).map { #"{"text":"s\#($0)","tool_calls":[{"name":"bash_run","input":{"cmd":"echo step \#($0) > f\#($0 % 4).txt"}}]}"# }
        let script = try f.script("{\"turns\":[\(turns.joined(separator: ",")),{\"text\":\"all done\"}],\"chunk_size\":4,\"chunk_delay_ms\":1}")
        let running = try KodeCLI.start(["run", "--store", f.store, "--workdir", f.workDir, "--provider", "scripted", "--script", script,
                                         "--permission", "auto", "--max-steps", "100", "--prompt", "go"])
        var collections = 0
        var removedBlobs = 0
        while !running.hasExited || collections == 0 {
            let gc = try await KodeCLI.run(["store", "gc", "--grace", "0", "--store", f.store])
            #expect(gc.status == 0, "\(gc.stderr)")
            if let line = gc.stdout.split(separator: "\n").first(where: { $0.hasPrefix("removed ") }),
               let n = Int(line.split(separator: " ")[1]) { removedBlobs += n }
            collections += 1
        }
        let result = try await running.finish(timeout: .seconds(120))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(removedBlobs >= 1, "the removed agent's blobs were never collected")
        let store = try FileStore(root: URL(fileURLWithPath: f.store))
        let blobs = BlobStore(storeRoot: store.root)
        let id = try #require(try await store.list().first?.id)
        let snapshots = try await store.records(of: id, after: 0).compactMap { if case .workspaceSnapshot(let s) = $0.body { return s } else { return nil } }
        #expect(snapshots.count == 41)
        for snapshot in snapshots {
            let tree = try WorkspaceTree.load(snapshot.tree, from: blobs)
            for hash in tree.blobHashes { #expect(blobs.contains(hash), "a snapshot lost blob \(hash) to gc") }
        }
    }
}
