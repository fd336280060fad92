import ArgumentParser
import Foundation
import KodeKernel
import KodeTUI

/// `kode-bench tui`: the terminal front end's budgets (docs/PERFORMANCE.md, "Terminal front end").
///
/// 1. Frame time for a 100,000-message transcript at 200×60 (render into the canvas + diff),
///    against the cost of copying the same cells once; then the same with markdown replies and
///    highlighted code streaming in, against the plain-text frame (`TUIBenchMarkdown`).
/// 2. Streaming 10,000 markdown chunks per second with key presses mixed in: keystroke-to-screen
///    latency, simulated in-process with the in-memory backend and the app's own frame pacer.
/// 3. Memory: resident set size against 2 × the transcript's text + 30 MB.
/// 4. First frame with 1,000 agents in a file store.
/// 5. Opening an agent of 1,000 / 20,000 / 100,000 messages (`TUIOpenBench`).
struct TUIBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tui", abstract: "Terminal front end: frame time, streaming latency, memory, first frame.")

    @Option(help: "Messages in the transcript.") var messages = 100_000
    @Option(help: "Frames to time.") var frames = 2_000
    @Option(help: "Agents in the store for the first-frame test.") var agents = 1_000
    @Flag(help: "Only time opening agents of 1,000 / 20,000 / 100,000 messages in the app.") var openOnly = false
    @Flag(help: "Only time the agents view's first frame with --agents agents.") var agentsViewOnly = false

    func run() async throws {
        if openOnly { return try await TUIOpenBench.run() }
        if agentsViewOnly { return try await TUIAgentsViewBench.run(agents: agents) }
        print("TUI bench: \(messages) messages, \(frames) frames, \(agents) agents")
        let rssBefore = TUIBenchSupport.rssBytes()
        var (model, textBytes) = TUIBenchSupport.transcript(messages: messages, width: 200, height: 60)
        let plain = frameTime(&model)
        streaming(&model)
        let rssAfter = TUIBenchSupport.rssBytes()
        let budget = 2 * textBytes + 30 << 20
        let used = rssAfter - rssBefore
        print(String(format: "memory: transcript text %.1f MB, RSS growth %.1f MB (total RSS %.1f MB); budget 2×text+30 MB = %.1f MB → %@",
                     Double(textBytes) / 1_048_576, Double(used) / 1_048_576, Double(rssAfter) / 1_048_576, Double(budget) / 1_048_576, used <= budget ? "OK" : "OVER"))
        markdownFrameTime(baseline: plain)
        approvalFrameTime(baseline: plain)
        try await firstFrame()
        try await TUIAgentsViewBench.run(agents: agents)
        try await TUIOpenBench.run()
    }

    @discardableResult
    private func frameTime(_ model: inout AppModel) -> (median: Double, p99: Double, max: Double) {
        var canvas = Canvas(width: 200, height: 60)
        var previous = canvas
        Renderer.render(model, into: &canvas, now: TUIBenchSupport.now)
        var samples: [Double] = []
        var cpuSamples: [Double] = []
        var baseline: [Double] = []
        var diffCells = 0
        model.apply(TUIBenchSupport.env(seq: 1, .textChunkStart(ChunkBoundary(messageId: "live"))), now: TUIBenchSupport.now)
        for i in 0..<frames {
            // Each frame: one more chunk of the streaming reply, then render + diff.
            model.apply(TUIBenchSupport.env(seq: UInt64(i + 2), .textChunk(ChunkDelta(messageId: "live", delta: i % 8 == 7 ? "word\n" : "word "))), now: TUIBenchSupport.now)
            let t0 = DispatchTime.now().uptimeNanoseconds
            let c0 = TUIBenchSupport.threadCPUNanos()
            previous = canvas
            Renderer.render(model, into: &canvas, now: TUIBenchSupport.now)
            diffCells += CanvasDiff.between(previous, canvas).cellCount
            let t1 = DispatchTime.now().uptimeNanoseconds
            cpuSamples.append(Double(TUIBenchSupport.threadCPUNanos() - c0) / 1e6)
            samples.append(Double(t1 - t0) / 1e6)
            let b0 = DispatchTime.now().uptimeNanoseconds
            // A real copy of the cells (not a copy-on-write reference).
            let copy = canvas.cells.withUnsafeBufferPointer { Array($0) }
            let b1 = DispatchTime.now().uptimeNanoseconds
            precondition(copy.count == canvas.cells.count)
            baseline.append(Double(b1 - b0) / 1e6)
        }
        let s = TUIBenchSupport.stats(samples)
        let b = TUIBenchSupport.stats(baseline)
        let cpu = TUIBenchSupport.stats(cpuSamples)
        print(String(format: "frame 200x60, %d messages: median %.3f ms, p99 %.3f ms, max %.3f ms (budget ≤ 1 ms median, ≤ 4 ms p99) → %@",
                     messages, s.median, s.p99, s.max, s.median <= 1 && s.p99 <= 4 ? "OK" : "OVER"))
        print(String(format: "  thread CPU time per frame (what the frame costs, without preemption by other processes): median %.3f ms, p99 %.3f ms, max %.3f ms; load average %@",
                     cpu.median, cpu.p99, cpu.max, TUIBenchSupport.loadAverage()))
        print(String(format: "  baseline: copying the 12,000 cells once: median %.4f ms → frame = %.0f× a copy; mean %.0f cells changed per frame; %d entries laid out",
                     b.median, s.median / max(b.median, 1e-6), Double(diffCells) / Double(frames), model.wrapCache.count))
        return s
    }

    private func streaming(_ model: inout AppModel) {
        // Simulated time: 10,000 chunks per second for 2 s, a key press every 37 ms. Work is
        // real (timed); arrivals follow the simulated clock, and the loop is the app's policy:
        // apply each action, draw when the pacer says so.
        let backend = MemoryBackend(width: 200, height: 60)
        var canvas = Canvas(width: 200, height: 60)
        var pacer = FramePacer()
        let chunksPerSecond = 10_000.0
        let duration = 2.0
        var arrivals: [(Double, Bool)] = []
        for i in 0..<Int(chunksPerSecond * duration) { arrivals.append((Double(i) / chunksPerSecond, false)) }
        var k = 0.0
        while k < duration { arrivals.append((k, true)); k += 0.037 }
        arrivals.sort { $0.0 < $1.0 }
        let start = Date(timeIntervalSince1970: 0)
        var clock = 0.0
        var pendingKeys: [Double] = []
        var latencies: [Double] = []
        var frames = 0
        model.apply(TUIBenchSupport.env(seq: 10_000_000, .textChunkStart(ChunkBoundary(messageId: "flood"))), now: TUIBenchSupport.now)
        var seq: UInt64 = 10_000_001
        let markdown = TUIBenchSupport.markdownChunks
        var busy = 0.0
        func work(_ body: () -> Void) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            body()
            let spent = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            clock += spent
            busy += spent
        }
        for (at, isKey) in arrivals {
            // Draw any frame that falls due before this arrival.
            if let d = pacer.delay(now: start.addingTimeInterval(clock)), clock + d <= at {
                clock += d
                work {
                    Renderer.render(model, into: &canvas, now: TUIBenchSupport.now)
                    backend.flush(canvas, cursor: nil)
                }
                pacer.drew(at: start.addingTimeInterval(clock))
                latencies += pendingKeys.map { clock - $0 }
                pendingKeys.removeAll()
                frames += 1
            }
            clock = max(clock, at)
            if isKey {
                work { _ = Update.apply(.input(.key(.char("x"))), to: &model, now: TUIBenchSupport.now) }
                pacer.changed(byInput: true)
                pendingKeys.append(at)
            } else {
                // A markdown reply with highlighted code, cut as a model cuts it (mid-line, mid-markup).
                let delta = markdown[Int(seq % UInt64(markdown.count))]
                work { model.apply(EventEnvelope(seq: seq, timestamp: TUIBenchSupport.now, agentId: "agt_bench", event: .textChunk(ChunkDelta(messageId: "flood", delta: delta))), now: TUIBenchSupport.now) }
                seq += 1
                pacer.changed(byInput: false)
            }
        }
        let s = TUIBenchSupport.stats(latencies.map { $0 * 1000 })
        print(String(format: "streaming markdown at 10,000 chunks/s for %.0f s: %d frames (%.0f/s), keystroke-to-screen median %.2f ms, p99 %.2f ms, max %.2f ms (budget ≤ 16 ms) → %@; the UI loop was busy %.0f%% of the time",
                     duration, frames, Double(frames) / duration, s.median, s.p99, s.max, s.max <= 16 ? "OK" : "OVER", 100 * busy / duration))
    }

    private func firstFrame() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kode-tui-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try FileStore(root: dir)
        let config = AgentConfig(provider: ProviderConfig(name: "demo", model: "demo"), workDir: FileManager.default.temporaryDirectory.path)
        let setup0 = Date()
        for _ in 0..<(agents - 1) { try await store.create(AgentManifest(id: AgentManifest.newID(), config: config)) }
        let hub = LocalAgentHub(store: store, wiring: AgentWiring(makeProvider: { _ in DemoProvider(chunkDelayMs: 0) }))
        let handle = try await hub.create(config)
        let setup = Date().timeIntervalSince(setup0)
        let t0 = DispatchTime.now().uptimeNanoseconds
        var (model, _) = try await SessionLoader.model(for: handle, width: 200, height: 60, unicode: true, keymap: Keymap())
        _ = Update.apply(.agentsLoaded(try await SessionLoader.agents(in: hub)), to: &model)
        let backend = MemoryBackend(width: 200, height: 60)
        var canvas = Canvas(width: 200, height: 60)
        let cursor = Renderer.render(model, into: &canvas)
        backend.flush(canvas, cursor: cursor)
        let ms = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
        await handle.release(.leave)
        print(String(format: "first frame with %d agents in a file store (list + open history + tree + render): %.1f ms (budget ≤ 150 ms) → %@; store setup took %.1f s",
                     agents, ms, ms <= 150 ? "OK" : "OVER", setup))
    }
}

/// Helpers for `TUIBench`.
enum TUIBenchSupport {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static func env(seq: UInt64, _ event: AgentEvent) -> EventEnvelope {
        EventEnvelope(seq: seq, timestamp: now, agentId: "agt_bench", event: event)
    }

    /// A model with `messages` entries: user prompts, multi-line replies (markdown with
    /// highlighted code when `markdown`), tool cells.
    static func transcript(messages: Int, width: Int, height: Int, markdown: Bool = false) -> (AppModel, Int) {
        var model = AppModel(info: SessionInfo(agentId: "agt_bench", provider: ProviderInfo(name: "bench", model: "bench")), width: width, height: height)
        var bytes = 0
        var seq: UInt64 = 100
        for i in 0..<messages {
            switch i % 4 {
            case 0:
                let t = "Question \(i): please look at module \(i % 97) and explain what the function does, with examples."
                bytes += t.utf8.count
                model.conversation.addUser(t, inputId: nil, queued: false, at: now)
            case 3:
                let id = "call_\(i)"
                model.apply(env(seq: seq, .toolStart(ToolStartEvent(callId: id, name: "fs_read", input: .object(["path": .string("src/file\(i).swift")])))), now: now)
                let out = "import Foundation\nstruct File\(i) {}\n"
                bytes += out.utf8.count
                model.apply(env(seq: seq + 1, .toolEnd(ToolEndEvent(callId: id, name: "fs_read", state: .completed, isError: false, durationMs: 3, outputPreview: out))), now: now)
                seq += 2
            default:
                let mid = "m\(i)"
                let t = markdown ? markdownReply(i) : "The function at line \(i) reads the configuration, validates every field and returns a typed value.\nIt fails with a clear error naming the key when a field is missing. 日本語も少し。\n"
                bytes += t.utf8.count
                model.apply(env(seq: seq, .textChunkStart(ChunkBoundary(messageId: mid))), now: now)
                model.apply(env(seq: seq + 1, .textChunk(ChunkDelta(messageId: mid, delta: t))), now: now)
                model.apply(env(seq: seq + 2, .textChunkEnd(ChunkBoundary(messageId: mid))), now: now)
                seq += 3
            }
        }
        return (model, bytes)
    }

    static func stats(_ xs: [Double]) -> (median: Double, p99: Double, max: Double) {
        guard !xs.isEmpty else { return (0, 0, 0) }
        let s = xs.sorted()
        return (s[s.count / 2], s[min(s.count - 1, Int(Double(s.count) * 0.99))], s[s.count - 1])
    }

    /// CPU time consumed by the calling thread, in nanoseconds.
    static func threadCPUNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// The first field of /proc/loadavg (other work on the machine inflates wall-clock tails).
    static func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").first.map(String.init) ?? "?"
    }

    /// Resident set size from /proc/self/status (VmRSS), in bytes.
    static func rssBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let kb = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) } ?? 0
            return kb * 1024
        }
        return 0
    }
}
