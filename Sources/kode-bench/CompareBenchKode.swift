import ArgumentParser
import Foundation
import KodeKernel

/// Kode's figures for one conversation.
struct KodeFigures {
    var turns: Int
    var writeSeconds: Double
    var bytesOnDisk: Int
    var loadLatestMs: Double
    var forkMs: Double
    /// Process CPU time (user + system) of the same load and fork, medians: unlike wall time it
    /// does not count waiting for a core or for the disk.
    var loadCpuMs = 0.0
    var forkCpuMs = 0.0
    var messagesLoaded: Int
    /// Seconds and bytes after the first `alsoAt` turns, when asked for.
    var partialTurns: Int?
    var partialWriteSeconds: Double?
    var partialBytes: Int?
}

/// Runs the conversation through a real `Agent` on a `FileStore` in a temporary directory, fully
/// durable (each input and each turn's end is synced before the call returns).
struct KodeConversationBench {
    var turns: Int
    var runs: Int
    /// Also record the write time and bytes on disk after this many turns.
    var alsoAt: Int?

    func run() async throws -> KodeFigures {
        let base = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("kode-bench-compare-\(UUID().uuidString)")
        let storeRoot = base.appendingPathComponent("store")
        let workDir = base.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: workDir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }

        let provider = try Self.provider(turns: turns)
        var config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: workDir.path)
        config.permission.mode = .auto
        // The shaper would shorten old tool results past this budget; there are none here, but the
        // budget is lifted so the whole conversation is sent, as LangGraph's node receives it.
        config.contextBudgetChars = Int.max / 2

        let agent = try await Agent.create(config: config, store: try FileStore(root: storeRoot), provider: provider)
        let agentDir = storeRoot.appendingPathComponent("agents").appendingPathComponent(agent.id)
        var figures = KodeFigures(turns: turns, writeSeconds: 0, bytesOnDisk: 0, loadLatestMs: 0, forkMs: 0, messagesLoaded: 0)
        let clock = ContinuousClock()
        var elapsed = Duration.zero
        for i in 0..<turns {
            let start = clock.now
            let done = try await agent.chat(ConversationText.turn("user", i))
            elapsed += clock.now - start
            guard done.reason == .completed else { throw ValidationError("turn \(i) ended with \(done.reason)") }
            if i + 1 == alsoAt {
                figures.partialTurns = i + 1
                figures.partialWriteSeconds = Self.seconds(elapsed)
                figures.partialBytes = try Self.bytesOnDisk(agentDir)
            }
            if (i + 1) % 1000 == 0 { FileHandle.standardError.write(Data("kode: \(i + 1) turns, \(String(format: "%.1f", Self.seconds(elapsed))) s\n".utf8)) }
        }
        await agent.close()
        figures.writeSeconds = Self.seconds(elapsed)
        figures.bytesOnDisk = try Self.bytesOnDisk(agentDir)

        // Load latest: a new store object each time, so nothing is cached in memory.
        var loads: [Double] = []
        var loadCPU: [Double] = []
        for _ in 0..<runs {
            let start = clock.now
            let cpuStart = Bench.cpuSeconds()
            let reopened = try await Agent.resume(id: agent.id, store: try FileStore(root: storeRoot), provider: provider)
            let messages = await reopened.snapshot().messages.count
            loads.append(Self.seconds(clock.now - start))
            loadCPU.append(Bench.cpuSeconds() - cpuStart)
            figures.messagesLoaded = messages
            await reopened.close()
        }
        guard figures.messagesLoaded == 2 * turns else {
            throw ValidationError("resume rebuilt \(figures.messagesLoaded) messages, expected \(2 * turns)")
        }
        var forks: [Double] = []
        var forkCPU: [Double] = []
        for _ in 0..<runs {
            let store = try FileStore(root: storeRoot)
            let start = clock.now
            let cpuStart = Bench.cpuSeconds()
            _ = try await Agent.fork(agent.id, at: "latest", store: store)
            forks.append(Self.seconds(clock.now - start))
            forkCPU.append(Bench.cpuSeconds() - cpuStart)
        }
        figures.loadLatestMs = Self.median(loads) * 1000
        figures.forkMs = Self.median(forks) * 1000
        figures.loadCpuMs = Self.median(loadCPU) * 1000
        figures.forkCpuMs = Self.median(forkCPU) * 1000
        return figures
    }

    /// A scripted model whose k-th call answers with the assistant's text of turn k.
    static func provider(turns: Int) throws -> ScriptedProvider {
        let script: JSONValue = [
            "turns": .array((0..<turns).map { ["text": .string(ConversationText.turn("assistant", $0))] }),
            // One chunk per reply: the comparison is about the store, not streaming.
            "chunk_size": 4096,
        ]
        let data = try JSONEncoder().encode(script)
        return ScriptedProvider(script: try ScriptedScript.parse(data, source: "compare-bench"))
    }

    /// Allocated bytes of every file under `directory` (what `du` counts).
    static func bytesOnDisk(_ directory: URL) throws -> Int {
        guard let walker = FileManager.default.enumerator(atPath: directory.path) else {
            throw ValidationError("cannot list \(directory.path)")
        }
        var total = 0
        while let relative = walker.nextObject() as? String {
            var info = stat()
            if lstat(directory.appendingPathComponent(relative).path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG {
                total += Int(info.st_blocks) * 512
            }
        }
        return total
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func median(_ samples: [Double]) -> Double {
        let sorted = samples.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}
