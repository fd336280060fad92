import Foundation
import KodeHost
import KodeKernel
import KodePostgres

/// Takeover between `kode serve` workers after kill -9 (docs/PERFORMANCE.md): a worker runs an
/// agent mid-tool and is killed with SIGKILL; the time is taken until the surviving worker owns
/// the agent and has resumed it by the recovery table (the running call sealed), `kills` times.
/// The baseline is the store-level takeover of the same run (`TakeoverBench`): what the worker's
/// discovery and recovery add to it.
struct WorkerTakeoverBench {
    let storeURL: String
    let store: PostgresStore

    func run(kills: Int) async throws -> [Double] {
        let kode = URL(fileURLWithPath: try HostLauncherPath.current()).deletingLastPathComponent().appendingPathComponent("kode").path
        guard FileManager.default.isExecutableFile(atPath: kode) else { throw ValidationErrorText("no kode binary beside kode-bench at \(kode): build the package first") }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kode-bench-takeover-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let script = scratch.appendingPathComponent("script.json").path
        try #"{"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"echo $$ > tool.pid; echo started >> effects.txt; exec sleep 600"}}]},{"text":"done"}]}"#
            .write(toFile: script, atomically: true, encoding: .utf8)
        let survivor = try await BenchWorker.start(kode: kode, url: storeURL, directory: scratch.appendingPathComponent("survivor").path)
        defer { survivor.terminate() }
        var times: [Double] = []
        for round in 0..<kills {
            let victim = try await BenchWorker.start(kode: kode, url: storeURL, directory: scratch.appendingPathComponent("victim").path)
            let workDir = scratch.appendingPathComponent("w\(round)").path
            try FileManager.default.createDirectory(atPath: workDir, withIntermediateDirectories: true)
            let hub = RemoteAgentHub(socketPath: victim.paths.socket)
            try await hub.connect()
            let config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "bench", scriptPath: script), permission: PermissionPolicy(mode: .auto), workDir: workDir)
            let agent = try await hub.create(config)
            let id = agent.id
            _ = try await agent.send("go")
            while !((try? String(contentsOfFile: workDir + "/effects.txt", encoding: .utf8)) ?? "").contains("started") {
                try await Task.sleep(for: .milliseconds(2))
            }
            kill(victim.pid, SIGKILL)
            let start = ContinuousClock.now
            await hub.disconnect()
            if let pid = Int32(((try? String(contentsOfFile: workDir + "/tool.pid", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)) {
                kill(pid, SIGKILL)
            }
            // Taken over: another process owns it and the recovery table has sealed the call.
            while true {
                let state = try AgentState.rebuild(from: try await store.history(of: id))
                if !state.toolCalls.isEmpty, state.toolCalls.values.allSatisfy({ $0.state == .sealed }) { break }
                if ContinuousClock.now - start > .seconds(60) { throw ValidationErrorText("no worker took \(id) over within 60 s") }
                try await Task.sleep(for: .milliseconds(2))
            }
            let elapsed = ContinuousClock.now - start
            times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            victim.reap()
        }
        return times
    }
}

/// A `kode serve` worker started by the benchmark, with a worker directory of its own.
final class BenchWorker: @unchecked Sendable {
    let process = Process()
    let paths: HostPaths

    private init(paths: HostPaths) { self.paths = paths }

    static func start(kode: String, url: String, directory: String) async throws -> BenchWorker {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["KODE_STORE"] = url
        environment["KODE_WORKER_DIR"] = directory
        let worker = BenchWorker(paths: HostPaths(storeRoot: WorkerDirectory.root(for: url, environment: environment).standardizedFileURL))
        worker.process.executableURL = URL(fileURLWithPath: kode)
        worker.process.arguments = ["serve"]
        worker.process.environment = environment
        worker.process.standardOutput = FileHandle.nullDevice
        worker.process.standardError = FileHandle.nullDevice
        try worker.process.run()
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            let hub = RemoteAgentHub(socketPath: worker.paths.socket)
            if (try? await hub.connect()) != nil {
                await hub.disconnect()
                return worker
            }
            guard worker.process.isRunning, ContinuousClock.now < deadline else { throw ValidationErrorText("kode serve did not answer on \(worker.paths.socket)") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    var pid: Int32 { process.processIdentifier }

    func terminate() {
        kill(pid, SIGTERM)
        reap()
    }

    func reap() {
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}
