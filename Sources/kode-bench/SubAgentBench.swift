import ArgumentParser
import Foundation
import KodeKernel

/// What one `task_run` costs beyond the work itself: spawning the child (manifest, writer lock,
/// durable link), running its turn and returning its answer, with a zero-latency scripted model.
struct SubAgentBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subagents",
        abstract: "task_run overhead (spawn, run, return) next to the same turn with a no-op tool."
    )

    @Option(help: "task_run calls to time (one per parent turn).") var calls = 300

    func run() async throws {
        print("sub-agent benchmarks (\(calls) task_run calls per store, zero-latency scripted model)")
        for durable in [false, true] {
            let label = durable ? "file store (fsync)" : "in-memory store"
            let (delegated, delegatedSyncs) = try await perTurn(delegating: true, durable: durable)
            let (direct, directSyncs) = try await perTurn(delegating: false, durable: durable)
            let overhead = delegated - direct
            Bench.report("task_run turn, \(label)", value: Bench.format(delegated * 1e3, "ms"),
                         baseline: Bench.format(direct * 1e3, "ms (one agent)"), ratio: delegated / max(direct, 1e-9), target: "-")
            Bench.report("task_run overhead, \(label)", value: Bench.format(overhead * 1e3, "ms"),
                         baseline: "-", ratio: overhead / 0.002, target: "≤ 2 ms")
            if durable {
                Bench.report("syncs per turn, \(label)", value: Bench.format(delegatedSyncs, "syncs"),
                             baseline: Bench.format(directSyncs, "syncs"), ratio: delegatedSyncs / max(directSyncs, 1e-9), target: "-")
            }
        }
    }

    /// Seconds (and syncs) per parent turn. Delegating: the parent calls `task_run`, the child
    /// answers in one model call, the parent answers. Baseline: the same parent turn with a no-op
    /// tool in place of `task_run`, so everything the child costs (its creation, its model call,
    /// its records) counts as overhead.
    func perTurn(delegating: Bool, durable: Bool) async throws -> (seconds: Double, syncs: Double) {
        let call = delegating
            ? #"{"tool_calls":[{"name":"task_run","input":{"task":"answer"}}]}"#
            : #"{"tool_calls":[{"name":"noop","input":{"n":1}}]}"#
        let script = "{\"turns\":[" + Array(repeating: call + #",{"text":"parent answer"}"#, count: calls).joined(separator: ",") + "]}"
        let child = try ScriptedScript.parse(Data(#"{"turns":[{"text":"child answer"}]}"#.utf8), source: "bench child")
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("kode-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let syncs = AtomicCounter()
        let io = SyncObservingFileIO(base: PosixFileIO(), willSync: { syncs.increment() })
        let store: any AgentStore = durable ? try FileStore(root: root.appendingPathComponent("store"), io: io) : InMemoryStore()
        var tools = ToolRegistry.builtins()
        tools.register(NoopTool())
        tools.register(TaskRunTool(settings: SubAgentSettings(provider: { _ in ScriptedProvider(script: child) })))
        var config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: root.path)
        config.permission.mode = .auto
        config.workspace.enabled = false
        let agent = try await Agent.create(
            config: config, store: store, provider: ScriptedProvider(script: try ScriptedScript.parse(Data(script.utf8), source: "bench")), tools: tools)
        // One turn first, so what is timed is the steady state.
        _ = try await agent.chat("warm up")
        let before = syncs.current
        let seconds = try await Bench.seconds {
            for _ in 1..<calls { _ = try await agent.chat("go") }
        }
        let last = await agent.snapshot().messages.last?.text
        await agent.close()
        guard last == "parent answer" else { throw ValidationError("the bench turn did not end with the parent's answer (got \(last ?? "nothing"))") }
        return (seconds / Double(calls - 1), Double(syncs.current - before) / Double(calls - 1))
    }
}
