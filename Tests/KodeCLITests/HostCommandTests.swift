import Foundation
import KodeKernel
import KodeTestSupport
import Testing

/// The CLI with a real `kode serve` process on the store: commands go through the host (no lock
/// errors, same output and exit codes), and a host that dies or stops loses nothing.
@Suite("Commands through a host", .serialized)
struct HostCommandTests {
    @Test func aRunGoesThroughTheHostAndTheAgentStaysThere() async throws {
        let f = try CLIFixture()
        let host = try await HostProcess(store: f.store)
        let script = try f.script(#"{"turns":[{"tool_calls":[{"name":"fs_glob","input":{"pattern":"*"}}]},{"text":"hosted hello"}]}"#)
        let run = try await f.run(script, ["--prompt", "hi", "--permission", "auto"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("hosted hello"))
        let id = try #require(run.agentId)
        let status = try await KodeCLI.run(["serve", "--status", "--store", f.store])
        #expect(status.stdout.contains(id), "the host keeps the agent open: \(status.stdout)")
        let agents = try await KodeCLI.run(["agents", "--store", f.store])
        #expect(agents.stdout.contains(id) && agents.stdout.contains("READY"))
        try await host.stop()
    }

    @Test func anApprovalPendingInTheHostIsAnsweredByKodeApprove() async throws {
        let f = try CLIFixture()
        let host = try await HostProcess(store: f.store)
        let script = try f.script(#"{"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"echo approved >> effects.txt"}}]},{"text":"after the approval"}]}"#)
        // No terminal to ask: the run stops with exit 3, the request pending in the host.
        let first = try await f.run(script, ["--prompt", "go", "--permission", "approval"])
        #expect(first.status == 3, "\(first.stderr)")
        let id = try #require(first.agentId)
        let callId = try #require(first.lines.first { $0.hasPrefix("pending ") }.map { String($0.dropFirst(8)) })
        // The host holds the agent's lock; approving goes through it instead of failing.
        let approve = try await KodeCLI.run(["approve", id, callId, "--allow", "--store", f.store])
        #expect(approve.status == 0, "\(approve.stderr)")
        #expect(approve.stdout.contains("allowed \(callId)"))
        // The turn goes on in the host as soon as the decision lands.
        try await eventually("the approved command to run") {
            ((try? String(contentsOfFile: f.workDir + "/effects.txt", encoding: .utf8)) ?? "").contains("approved")
        }
        let agent = try await host.client().open(id, options: OpenOptions())
        try await agent.waitUntilIdle()
        let state = try await agent.state()
        #expect(state.messages.last?.text == "after the approval")
        await agent.release(.leave)
        try await host.stop()
    }

    @Test func followingThroughTheHostSeesLiveEvents() async throws {
        let f = try CLIFixture()
        let host = try await HostProcess(store: f.store)
        let script = try f.script(#"{"turns":[{"text":"first"},{"text":"second answer"}]}"#)
        let first = try await f.run(script, ["--prompt", "one", "--permission", "auto"])
        let id = try #require(first.agentId)
        let follower = try KodeCLI.start(["events", id, "--follow", "--json", "--store", f.store])
        // The follower replays what is stored first: once it shows the first answer it is live.
        try await eventually("the follower to replay the first turn") { follower.stdoutSoFar.contains("first") }
        let second = try await KodeCLI.run(["run", "--agent", id, "--prompt", "two", "--store", f.store])
        #expect(second.status == 0, "\(second.stderr)")
        try await eventually("the follower to see the second turn") { follower.stdoutSoFar.contains("second answer") }
        follower.signal(SIGTERM)
        _ = try await follower.finish()
        try await host.stop()
    }

    @Test func aHostKilledMidToolLeavesNothingOrphanedForTheNext() async throws {
        let f = try CLIFixture()
        var host = try await HostProcess(store: f.store)
        let script = try f.script(#"{"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"echo $$ > tool.pid; echo started >> effects.txt; exec sleep 600"}}]},{"text":"unreachable"}]}"#)
        let run = try KodeCLI.start(["run", "--store", f.store, "--workdir", f.workDir, "--provider", "scripted", "--script", script, "--prompt", "go", "--permission", "auto", "--json"])
        try await eventually("the tool to start") {
            ((try? String(contentsOfFile: f.workDir + "/effects.txt", encoding: .utf8)) ?? "").contains("started")
        }
        let id = try #require(run.stderrSoFar.split(separator: "\n").first { $0.hasPrefix("agent: ") }.map { String($0.dropFirst(7)) })
        try await host.kill()
        // A killed host leaves its tool running, as any kill -9 does; end it so the test's pipes close.
        if let pid = Int32((try? String(contentsOfFile: f.workDir + "/tool.pid", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") {
            kill(pid, SIGKILL)
        }
        run.signal(SIGKILL)
        let acknowledged = try await run.finish().envelopes
        // The next host recovers the agent at start: the running tool is sealed, never re-run.
        host = try await HostProcess(store: f.store)
        let agent = try await host.client().open(id, options: OpenOptions())
        let state = try await agent.state()
        #expect(state.toolCalls.values.allSatisfy { $0.state == .sealed }, "\(state.toolCalls.values.map(\.state))")
        await agent.release(.leave)
        // Continuing (through the host) hands the sealed result to the model and finishes.
        let resumed = try await KodeCLI.run(["run", "--agent", id, "--continue", "--store", f.store])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        try await host.stop()
        try await CrashInvariants(fixture: f, agentId: id).check(acknowledged: acknowledged, context: "host killed mid-tool")
        let effects = try String(contentsOfFile: f.workDir + "/effects.txt", encoding: .utf8)
        #expect(effects == "started\n", "the sealed tool never ran again")
    }

    /// A store deleted under its host (a project removed, a temporary store cleaned up) leaves
    /// a host nobody can find again: it stops by itself instead of idling for ever.
    @Test func aHostWhoseStoreIsRemovedStopsByItself() async throws {
        let f = try CLIFixture()
        let host = try await HostProcess(store: f.store)
        try FileManager.default.removeItem(atPath: f.store)
        let result = try await host.process.finish(timeout: .seconds(120))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("host directory was removed"), "\(result.stderr)")
    }

    /// The same when the lock file at its path is another file (the store was made again
    /// between two looks): replaced by a rename, so the path is never missing.
    @Test func aHostWhoseLockFileIsReplacedStopsByItself() async throws {
        let f = try CLIFixture()
        let host = try await HostProcess(store: f.store)
        let other = f.store + "/host/LOCK.other"
        #expect(FileManager.default.createFile(atPath: other, contents: Data()))
        #expect(rename(other, host.paths.lockFile.path) == 0)
        let result = try await host.process.finish(timeout: .seconds(120))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("host directory was replaced"), "\(result.stderr)")
    }

    /// A host that stops because its store went away leaves alone the socket and pid file of a
    /// host started on the store made again at the same path.
    @Test func aHostOfARemovedStoreLeavesTheNextHostsFilesAlone() async throws {
        let f = try CLIFixture()
        let first = try await HostProcess(store: f.store)
        try FileManager.default.removeItem(atPath: f.store)
        let second = try await HostProcess(store: f.store)
        let ended = try await first.process.finish(timeout: .seconds(120))
        #expect(ended.stderr.contains("host directory was"), "\(ended.stderr)")
        #expect(FileManager.default.fileExists(atPath: second.paths.socket), "the second host's socket is still there")
        let recorded = try String(contentsOf: second.paths.pidFile, encoding: .utf8)
        #expect(recorded.trimmingCharacters(in: .whitespacesAndNewlines) == "\(second.process.pid)")
        let hub = second.client()
        try await hub.connect()
        await hub.disconnect()
        let stopped = try await second.stop()
        #expect(stopped.status == 0, "\(stopped.stderr)")
    }

    @Test func aGracefulStopLetsTheToolFinishAndReleasesTheLock() async throws {
        let f = try CLIFixture()
        let host = try await HostProcess(store: f.store, extra: ["--grace", "120"])
        let script = try f.script(#"{"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"echo started >> effects.txt; sleep 1; echo finished >> effects.txt"}}]},{"text":"done after the tool"}]}"#)
        let run = try KodeCLI.start(["run", "--store", f.store, "--workdir", f.workDir, "--provider", "scripted", "--script", script, "--prompt", "go", "--permission", "auto"])
        try await eventually("the tool to start") {
            ((try? String(contentsOfFile: f.workDir + "/effects.txt", encoding: .utf8)) ?? "").contains("started")
        }
        let id = try #require(run.stderrSoFar.split(separator: "\n").first { $0.hasPrefix("agent: ") }.map { String($0.dropFirst(7)) })
        let stop = try await KodeCLI.run(["serve", "--stop", "--store", f.store], timeout: .seconds(180))
        #expect(stop.status == 0, "\(stop.stderr)")
        _ = try await host.process.finish()
        run.signal(SIGKILL)
        _ = try await run.finish()
        let effects = try String(contentsOfFile: f.workDir + "/effects.txt", encoding: .utf8)
        #expect(effects.contains("finished"), "the tool got its grace period")
        // Nothing lost, and the lock is free: the agent runs embedded now.
        let export = try await f.export(id)
        #expect(export["messages"]?.arrayValue?.last?["content"]?.arrayValue?.last?["text"]?.stringValue == "done after the tool")
        let again = try await f.run(script, ["--agent", id, "--prompt", "again"])
        #expect(!again.stderr.contains("locked"), "\(again.stderr)")
        try await CrashInvariants(fixture: f, agentId: id).check(context: "graceful stop")
    }
}
