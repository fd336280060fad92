import Foundation
import KodeKernel
import KodePostgres
import Synchronization

/// Takeover after kill -9: an owner process appends, is killed with SIGKILL, and the time until
/// this process owns the agent is taken, `kills` times.
struct TakeoverBench {
    let storeURL: String
    let store: PostgresStore

    /// Store-level takeover times, then the workers' (`WorkerTakeoverBench`) against them.
    func run(kills: Int) async throws {
        let store = try await measureStoreTakeover(kills: kills)
        let workers = try await WorkerTakeoverBench(storeURL: storeURL, store: self.store).run(kills: kills).sorted()
        let median = workers[workers.count / 2]
        Bench.report("worker takeover after kill -9 (median of \(kills))", value: Bench.format(median * 1e3, "ms"),
                     baseline: Bench.format(store * 1e3, "ms (store-level)"), ratio: median / 5, target: "≤ 5 s (ratio: of 5 s)")
        Bench.report("worker takeover, slowest of \(kills)", value: Bench.format((workers.last ?? 0) * 1e3, "ms"),
                     baseline: Bench.format(workers[0] * 1e3, "ms (fastest)"), ratio: (workers.last ?? 0) / 5, target: "≤ 5 s")
    }

    /// The store-level takeover; returns its median in seconds.
    private func measureStoreTakeover(kills: Int) async throws -> Double {
        let manifest = AgentManifest(id: AgentManifest.newID(), config: AgentConfig(provider: ProviderConfig(name: "scripted", model: "bench"), workDir: "/tmp"))
        try await store.create(manifest)
        let executable = try HostLauncherPath.current()
        var times: [Double] = []
        for _ in 0..<kills {
            let owner = try OwnerChild(executable: executable, arguments: ["postgres-owner", "--url", storeURL, "--agent", manifest.id, "--every", "5"])
            try await owner.waitFor("appended")
            kill(owner.pid, SIGKILL)
            let start = ContinuousClock.now
            let writer = try await store.takeOver(manifest.id, patience: .seconds(30))
            let elapsed = ContinuousClock.now - start
            times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            try await writer.close()
            owner.reap()
        }
        let sorted = times.sorted()
        Bench.report("takeover after kill -9 (median of \(kills))", value: Bench.format(sorted[sorted.count / 2] * 1e3, "ms"),
                     baseline: Bench.format((sorted.last ?? 0) * 1e3, "ms (slowest)"), ratio: sorted[sorted.count / 2] / 5, target: "≤ 5 s")
        return sorted[sorted.count / 2]
    }
}

enum HostLauncherPath {
    static func current() throws -> String {
        try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    }
}

/// A child whose stdout is read on a thread of its own.
final class OwnerChild: @unchecked Sendable {
    private let process = Process()
    private let output = Mutex("")

    init(executable: String, arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.detachNewThread { [self] in
            while true {
                let data = pipe.fileHandleForReading.availableData
                if data.isEmpty { break }
                output.withLock { $0 += String(decoding: data, as: UTF8.self) }
            }
        }
    }

    var pid: Int32 { process.processIdentifier }

    func waitFor(_ text: String) async throws {
        while true {
            if output.withLock({ $0.contains(text) }) { return }
            if !process.isRunning { throw ValidationErrorText("the owner process exited: \(output.withLock { $0 })") }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    func reap() {
        var status: Int32 = 0
        waitpid(process.processIdentifier, &status, 0)
    }
}

struct ValidationErrorText: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
