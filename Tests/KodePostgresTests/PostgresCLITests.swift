import Foundation
import KodeKernel
import KodeTestSupport
import Testing

/// The `kode` binary on a PostgreSQL store: `--store URL` (and `KODE_STORE`) wherever a store is
/// named, a worker with `kode serve`, and no password on the screen or in logs.
@Suite(.serialized) struct PostgresCLITests {
    @Test func runAndListAgentsInPostgres() async throws {
        try await TestPostgres.withSchema { url in
            let work = try TemporaryDirectory(prefix: "kode-pg-cli")
            let script = work.url.appendingPathComponent("script.json").path
            try #"{"turns":[{"text":"hello from postgres"}]}"#.write(toFile: script, atomically: true, encoding: .utf8)
            let run = try await KodeCLI.run(["run", "--store", url, "--workdir", work.url.path, "--provider", "scripted", "--script", script, "--prompt", "hi"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("hello from postgres"))
            let id = try #require(run.agentId)
            let agents = try await KodeCLI.run(["agents"], environment: ["KODE_STORE": url])
            #expect(agents.status == 0 && agents.stdout.contains(id), "\(agents.stdout) \(agents.stderr)")
        }
    }

    @Test func aWorkerServesTheDatabaseAndNeverPrintsThePassword() async throws {
        try await TestPostgres.withSchema { plain in
            // The test server trusts loopback, so any password connects: it must still never show.
            let url = plain.replacingOccurrences(of: "postgres://postgres@", with: "postgres://postgres:pa55word@")
            let work = try TemporaryDirectory(prefix: "kode-pg-worker")
            let script = work.url.appendingPathComponent("script.json").path
            try #"{"turns":[{"text":"served by a worker"}]}"#.write(toFile: script, atomically: true, encoding: .utf8)
            let worker = try await WorkerProcess(url: url)
            let run = try await KodeCLI.run(["run", "--workdir", work.url.path, "--provider", "scripted", "--script", script, "--prompt", "hi"], environment: ["KODE_STORE": url])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("served by a worker"))
            let status = try await KodeCLI.run(["serve", "--status"], environment: ["KODE_STORE": url])
            #expect(status.stdout.contains("postgres://postgres:***@"), "\(status.stdout)")
            let stopped = try await worker.stop()
            for text in [run.stdout, run.stderr, status.stdout, status.stderr, stopped.stdout, stopped.stderr] {
                #expect(!text.contains("pa55word"), "the password was printed: \(text)")
            }
            #expect(stopped.stderr.contains("***"), "the worker's log names the store: \(stopped.stderr)")
        }
    }

    @Test func anUnreachableDatabaseIsAClearErrorWithoutThePassword() async throws {
        let port = try FreePort.loopback()
        let url = "postgres://kode:hunter2@127.0.0.1:\(port)/kode"
        let result = try await KodeCLI.run(["agents", "--store", url], timeout: .seconds(60))
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot open the PostgreSQL store postgres://kode:***@127.0.0.1:\(port)/kode"), "\(result.stderr)")
        #expect(!result.stderr.contains("hunter2") && !result.stdout.contains("hunter2"))
    }

    @Test func sslmodeRequireRefusesAServerWithoutTLS() async throws {
        // The throwaway server has no certificate: `require` must fail rather than fall back to
        // plain text (with `prefer` the same server connects).
        let server = try TestPostgres.serverURL()
        let url = server + (server.contains("?") ? "&" : "?") + "sslmode=require"
        let result = try await KodeCLI.run(["agents", "--store", url], timeout: .seconds(60))
        #expect(result.status == 1, "\(result.stdout)")
        #expect(result.stderr.contains("TLS"), "\(result.stderr)")
    }
}

/// A worker stopped gracefully hands its agents back: nothing sealed, the pending approval still
/// pending, the agent free for the next owner.
@Suite(.serialized) struct WorkerHandBackTests {
    @Test func aGracefulStopHandsAgentsBackWithoutSealing() async throws {
        try await TestPostgres.withSchema { url in
            let work = try TemporaryDirectory(prefix: "kode-pg-handback")
            let script = work.url.appendingPathComponent("script.json").path
            try #"{"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"echo ran >> effects.txt"}}]},{"text":"after the approval"}]}"#.write(toFile: script, atomically: true, encoding: .utf8)
            let workDir = work.url.appendingPathComponent("w")
            try FileManager.default.createDirectory(at: workDir, withIntermediateDirectories: true)
            let worker = try await WorkerProcess(url: url)
            let first = try await KodeCLI.run(["run", "--workdir", workDir.path, "--provider", "scripted", "--script", script, "--prompt", "go", "--permission", "approval"], environment: ["KODE_STORE": url])
            #expect(first.status == 3, "the run should stop at the approval: \(first.stderr)")
            let id = try #require(first.agentId)
            let callId = try #require(first.lines.first { $0.hasPrefix("pending ") }.map { String($0.dropFirst(8)) })
            let stopped = try await worker.stop()
            #expect(stopped.status == 0, "\(stopped.stderr)")
            // No worker now: the CLI owns the agent itself; the request is still there to answer.
            let approve = try await KodeCLI.run(["approve", id, callId, "--allow", "--store", url])
            #expect(approve.status == 0 && approve.stdout.contains("allowed \(callId)"), "\(approve.stdout) \(approve.stderr)")
            let resumed = try await KodeCLI.run(["run", "--agent", id, "--continue", "--store", url])
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(resumed.stdout.contains("after the approval"), "\(resumed.stdout)")
            let effects = (try? String(contentsOfFile: workDir.appendingPathComponent("effects.txt").path, encoding: .utf8)) ?? ""
            #expect(effects == "ran\n", "the approved command ran once: \(effects)")
        }
    }
}
