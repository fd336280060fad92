import ArgumentParser
import Foundation
import KodeKernel

/// Event bus throughput and the agent's own overhead per tool call.
struct KernelBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "Events/s through the bus to 3 subscribers; kernel overhead per tool call."
    )

    @Option(help: "Events to publish.") var events = 2_000_000
    @Option(help: "Tool-using steps to run.") var steps = 2_000
    @Option(help: "Run one part only, e.g. under a profiler: bus, overhead or durable.") var only: Part?

    enum Part: String, ExpressibleByArgument, CaseIterable {
        case bus, overhead, durable
    }

    func run() async throws {
        print("kernel benchmarks (\(events) events, \(steps) tool steps)")
        if only == nil || only == .bus { try await busThroughput() }
        if only == nil || only == .overhead { try await toolCallOverhead() }
        if only == nil || only == .durable { try await durableStepSyncs() }
    }

    /// Syncs per tool-using step on the file store, and the step's time next to the same number
    /// of raw fdatasync calls on the same disk.
    func durableStepSyncs() async throws {
        let count = 200
        let turn = #"{"tool_calls":[{"name":"noop","input":{"n":1}}]}"#
        let script = "{\"turns\":[" + Array(repeating: turn, count: count).joined(separator: ",") + ",{\"text\":\"done\"}]}"
        let parsed = try ScriptedScript.parse(Data(script.utf8), source: "bench")
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("kode-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let syncs = AtomicCounter()
        let store = try FileStore(root: root.appendingPathComponent("store"), io: SyncObservingFileIO(base: PosixFileIO(), willSync: { syncs.increment() }))
        var config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: root.path)
        config.permission.mode = .auto
        config.maxSteps = count + 1
        var tools = ToolRegistry.builtins()
        tools.register(NoopTool())
        let agent = try await Agent.create(config: config, store: store, provider: ScriptedProvider(script: parsed), tools: tools)
        let before = syncs.current
        let seconds = try await Bench.seconds { _ = try await agent.chat("go") }
        let perStep = Double(syncs.current - before) / Double(count)
        await agent.close()

        // Baseline: raw write + fdatasync of a small record, as many as the steps used.
        let path = root.appendingPathComponent("raw").path
        let fd = open(path, O_CREAT | O_WRONLY | O_APPEND, 0o644)
        defer { close(fd) }
        let record = [UInt8](repeating: 0x61, count: 256)
        let raw = Int(perStep.rounded(.up)) * count
        let rawSeconds = await Bench.seconds {
            for _ in 0..<raw {
                _ = record.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                fdatasync(fd)
            }
        }
        Bench.report("durable tool step: syncs per step", value: Bench.format(perStep, "syncs"),
                     baseline: "-", ratio: perStep / 4, target: "≤ 4 syncs")
        Bench.report("durable tool step: time per step", value: Bench.format(seconds / Double(count) * 1e3, "ms"),
                     baseline: Bench.format(rawSeconds / Double(count) * 1e3, "ms (raw syncs)"), ratio: seconds / max(rawSeconds, 1e-9), target: "-")
    }

    /// Publishes `events` envelopes to three subscribers that count them; the baseline fans the
    /// same envelopes out through three plain `AsyncStream`s.
    func busThroughput() async throws {
        let envelopes = (0..<1024).map { i in
            EventEnvelope(seq: 0, timestamp: Date(), agentId: "agt_bench", event: .textChunk(ChunkDelta(messageId: "m", delta: "chunk \(i)")))
        }
        let total = events
        let bus = EventBus(capacity: 1 << 20) { _ in [] }
        let ours = try await timeFanOut(
            (0..<3).map { _ in bus.subscribe(filter: .all, since: nil) }, envelopes: envelopes, total: total
        ) { bus.publish($0) }
        let streams = (0..<3).map { _ in AsyncStream<EventEnvelope>.makeStream(bufferingPolicy: .unbounded) }
        let baseline = try await timeFanOut(streams.map(\.stream), envelopes: envelopes, total: total) { e in
            for (_, continuation) in streams { continuation.yield(e) }
        }
        let rate = Double(total) / ours
        Bench.report("bus: events/s to 3 subscribers", value: Bench.format(rate / 1e6, "M/s"),
                     baseline: Bench.format(Double(total) / baseline / 1e6, "M/s (AsyncStream)"), ratio: baseline / ours, target: "≥ 1.0 M/s")
    }

    /// Seconds for `total` envelopes (cycling through `envelopes`, with increasing seq) to be
    /// published by `publish` and counted by one consumer per stream; every one must arrive.
    func timeFanOut<S: AsyncSequence & Sendable>(
        _ streams: [S], envelopes: [EventEnvelope], total: Int, publish: (EventEnvelope) -> Void
    ) async throws -> Double where S.Element == EventEnvelope {
        try await Bench.seconds {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for stream in streams {
                    group.addTask {
                        var count = 0
                        for try await _ in stream {
                            count += 1
                            if count == total { break }
                        }
                        return count
                    }
                }
                for i in 0..<total {
                    var e = envelopes[i % envelopes.count]
                    e.seq = UInt64(i + 1)
                    publish(e)
                }
                for try await count in group where count != total { throw ValidationError("a subscriber missed events") }
            }
        }
    }

    /// A zero-latency scripted model asks for one no-op tool per step; the baseline calls the
    /// same tool directly the same number of times.
    func toolCallOverhead() async throws {
        let turn = #"{"tool_calls":[{"name":"noop","input":{"n":1}}]}"#
        let script = "{\"turns\":[" + Array(repeating: turn, count: steps).joined(separator: ",") + ",{\"text\":\"done\"}],\"chunk_size\":64}"
        let parsed = try ScriptedScript.parse(Data(script.utf8), source: "bench")
        let workDir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("kode-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workDir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: workDir) }
        var config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: workDir.path)
        config.permission.mode = .auto
        config.maxSteps = steps + 1
        var tools = ToolRegistry.builtins()
        tools.register(NoopTool())
        let agent = try await Agent.create(config: config, store: InMemoryStore(), provider: ScriptedProvider(script: parsed), tools: tools)
        var done: DoneEvent?
        let cpuBefore = Bench.cpuSeconds()
        let agentSeconds = try await Bench.seconds { done = try await agent.chat("go") }
        let agentCPU = Bench.cpuSeconds() - cpuBefore
        guard done?.reason == .completed else { throw ValidationError("the benchmark turn did not complete: \(String(describing: done?.reason))") }
        let calls = await agent.snapshot().toolCalls.count
        await agent.close()

        let tool = NoopTool()
        let sandbox = try LocalSandbox(workDir: workDir)
        let context = ToolContext(agentId: "agt_bench", callId: "c", sandbox: sandbox, todos: NoTodos())
        let baseline = try await Bench.seconds {
            for _ in 0..<steps { _ = try await tool.run(["n": 1], context: context) }
        }
        let perCall = (agentSeconds - baseline) / Double(calls) * 1e6
        let cpuPerCall = (agentCPU - baseline) / Double(calls) * 1e6
        Bench.report("kernel overhead per tool call, wall", value: Bench.format(perCall, "µs"),
                     baseline: Bench.format(baseline / Double(steps) * 1e6, "µs (tool alone)"),
                     ratio: agentSeconds / max(baseline, 1e-9), target: "≤ 50 µs")
        Bench.report("kernel overhead per tool call, CPU", value: Bench.format(cpuPerCall, "µs"),
                     baseline: Bench.format(baseline / Double(steps) * 1e6, "µs (tool alone)"),
                     ratio: agentCPU / max(baseline, 1e-9), target: "≤ 50 µs")
    }
}

/// A tool that does nothing, so the benchmark measures the kernel.
struct NoopTool: Tool {
    var name: String { "noop" }
    var description: String { "Does nothing." }
    var inputSchema: JSONValue { ["type": "object", "properties": ["n": ["type": "integer"]], "additionalProperties": false] }
    var isReadOnly: Bool { true }
    func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput { ToolOutput(content: "ok") }
}

/// An empty todo board for calling a tool outside an agent.
struct NoTodos: TodoBoard {
    func todos() async -> [TodoItem] { [] }
    func replace(with todos: [TodoItem]) async throws {}
}
