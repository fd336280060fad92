import Foundation
import KodeHost
import KodeKernel
import Logging

/// A host running inside the benchmark process on a fresh file store in a temporary directory,
/// its agents on a scripted model: the real socket, server and client, without a second process
/// (the same setup as the tests' `InProcessHost`, which kode-bench must not depend on).
final class BenchHost: Sendable {
    let root: URL
    let store: FileStore
    let runtime: HostRuntime
    let wiring: AgentWiring
    let workDir: URL
    private let running: Task<Void, Never>

    /// Starts a host whose agents all play `script` (the scripted provider's JSON format).
    init(script: String, maxOpen: Int = 64) async throws {
        root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("kode-bench-host-\(UUID().uuidString.prefix(8))")
        let storeRoot = root.appendingPathComponent("store")
        store = try FileStore(root: storeRoot)
        workDir = root.appendingPathComponent("work").resolvingSymlinksInPath()
        try FileManager.default.createDirectory(at: workDir, withIntermediateDirectories: true)
        let parsed = try ScriptedScript.parse(Data(script.utf8), source: "bench script")
        wiring = AgentWiring(makeProvider: { _ in ScriptedProvider(script: parsed) })
        var logger = Logger(label: "kode.bench.host")
        logger.logLevel = .warning
        runtime = try await HostRuntime(
            store: store, storeDescription: storeRoot.path, paths: HostPaths(storeRoot: storeRoot), wiring: wiring,
            options: HostRuntime.Options(maxOpen: maxOpen, grace: .seconds(5)), logger: logger)
        let runtime = self.runtime
        running = Task { await runtime.run() }
    }

    /// A config for a new agent working in this host's work directory.
    var config: AgentConfig {
        var config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: workDir.path)
        config.permission.mode = .auto
        return config
    }

    /// A client of this host, with a connection of its own.
    func client(_ name: String) -> RemoteAgentHub {
        RemoteAgentHub(socketPath: runtime.paths.socket, clientName: name)
    }

    /// An in-process hub on a store of its own with the same model: the baseline, where events
    /// go straight from the agent's bus to the subscriber.
    func localHub() throws -> LocalAgentHub {
        let store = try FileStore(root: root.appendingPathComponent("local-store"))
        return LocalAgentHub(store: store, wiring: wiring)
    }

    /// Stops the host and removes its directory.
    func stop() async {
        runtime.requestStop(grace: .seconds(5))
        await running.value
        try? FileManager.default.removeItem(at: root)
    }
}

/// Figures over a set of samples.
struct Samples {
    private(set) var sorted: [Double]

    init(_ values: [Double]) { sorted = values.sorted() }

    var count: Int { sorted.count }
    var median: Double { quantile(0.5) }
    var p99: Double { quantile(0.99) }

    func quantile(_ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded()))]
    }
}

/// The process's resident memory, from /proc/self/status (Linux), in bytes.
func residentBytes() -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        let digits = line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        return digits.map { $0 * 1024 }
    }
    return nil
}

/// Gives freed heap memory back to the system (glibc's `malloc_trim`), so a VmRSS reading
/// right after counts what is in use, not what earlier parts of the run freed and malloc kept.
/// Looked up at run time: Swift's Glibc module does not export <malloc.h>.
func trimHeap() {
    typealias Trim = @convention(c) (Int) -> Int32
    guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "malloc_trim") else { return }
    _ = unsafeBitCast(symbol, to: Trim.self)(0)
}

/// A reply of `count` characters for the scripted model to stream one per chunk.
func benchReplyScript(characters count: Int, turns: Int = 1, chunkSize: Int = 1, delayMs: Int = 0) -> String {
    let text = String(repeating: "abcdefghij", count: count / 10 + 1).prefix(count)
    let turn = "{\"text\":\"\(text)\"}"
    return "{\"turns\":[" + Array(repeating: turn, count: turns).joined(separator: ",") + "],\"chunk_size\":\(chunkSize),\"chunk_delay_ms\":\(delayMs)}"
}
