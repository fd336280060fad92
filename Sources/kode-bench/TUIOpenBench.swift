import Foundation
import KodeKernel
import KodeTUI

/// `kode-bench tui --open-only` (and the end of `kode-bench tui`): opening an agent in the app.
/// Time from an open `LocalAgentHub` handle to the first full frame in an in-memory canvas, for
/// agents of 1,000 / 20,000 / 100,000 messages, against the old path (every record from seq 0
/// through the view's record fold) measured in the same run.
enum TUIOpenBench {
    static func run(sizes: [Int] = [1_000, 20_000, 100_000], baselineUpTo: Int = 20_000) async throws {
        var opened: [Int: Double] = [:]
        for size in sizes {
            let store = InMemoryStore()
            let id = try await populate(store, messages: size)
            let hub = LocalAgentHub(store: store, wiring: AgentWiring(makeProvider: { _ in DemoProvider(chunkDelayMs: 0) }))
            let handle = try await hub.open(id, options: OpenOptions())
            // The median of a few opens: the first one also warms caches.
            var samples: [Double] = []
            for _ in 0..<5 { samples.append(try await timeOpen(handle)) }
            let ms = samples.sorted()[samples.count / 2]
            opened[size] = ms
            var line = String(format: "open %7d messages: first frame %.2f ms (budget ≤ 100 ms at 20,000)", size, ms)
            if size <= baselineUpTo {
                let old = try await timeFullFold(store, id)
                line += String(format: "; full fold of the log (old path) %.1f ms", old)
            }
            print(line)
            await handle.release(.leave)
        }
        if let small = opened[1_000], let large = opened[100_000] {
            print(String(format: "open 100,000 ÷ open 1,000 = %.2f (budget ≤ 2) → %@", large / small, large / small <= 2 ? "OK" : "OVER"))
        }
    }

    /// Handle to first frame: the window, the model, one render.
    static func timeOpen(_ handle: any AgentHandle) async throws -> Double {
        let t0 = DispatchTime.now().uptimeNanoseconds
        try await firstFrame(handle)
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
    }

    /// What the app does between having a handle and showing it: the model from the agent's
    /// window, one render into a 200×60 canvas and its flush to an in-memory terminal.
    static func firstFrame(_ handle: any AgentHandle, hosted: Bool = false) async throws {
        let (model, _) = try await SessionLoader.model(for: handle, width: 200, height: 60, unicode: true, keymap: Keymap(), hosted: hosted)
        var canvas = Canvas(width: 200, height: 60)
        let cursor = Renderer.render(model, into: &canvas)
        MemoryBackend(width: 200, height: 60).flush(canvas, cursor: cursor)
    }

    /// The old way: read every record and fold it into the view (kept in KodeTUI only as the
    /// reference fold; it matches input by id, so it is cheaper than the old text search was).
    static func timeFullFold(_ store: any AgentStore, _ id: AgentID) async throws -> Double {
        let t0 = DispatchTime.now().uptimeNanoseconds
        var model = AppModel(info: SessionInfo(agentId: id, provider: ProviderInfo(name: "demo", model: "demo")), width: 200, height: 60)
        for record in try await store.records(of: id, after: 0) {
            model.conversation.apply(record: record, agentId: id)
            if let env = record.envelope(agentId: id) {
                model.approvals.apply(env)
                model.monitor.apply(env)
            }
        }
        var canvas = Canvas(width: 200, height: 60)
        _ = Renderer.render(model, into: &canvas)
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
    }

    /// An agent with `messages` committed messages: questions, answers, every fifth answer
    /// with a finished tool call whose result follows.
    static func populate(_ store: InMemoryStore, messages: Int) async throws -> AgentID {
        let config = AgentConfig(provider: ProviderConfig(name: "demo", model: "demo"), workDir: FileManager.default.temporaryDirectory.path)
        let manifest = AgentManifest(id: AgentManifest.newID(), config: config)
        try await store.create(manifest)
        let writer = try await store.openWriter(manifest.id)
        var seq: UInt64 = 0
        var batch: [LogRecord] = []
        let now = Date()
        func add(_ body: RecordBody) {
            seq += 1
            batch.append(LogRecord(seq: seq, timestamp: now, body: body))
        }
        var i = 0
        while i < messages {
            add(.message(Message(id: "in_\(i)", role: .user, content: [.text("Question \(i): what does module \(i % 97) do?")], timestamp: now)))
            i += 1
            if i % 10 == 1, i + 1 < messages {
                let callId = "call_\(i)"
                add(.message(Message(role: .assistant, content: [.text("Reading it."), .toolUse(id: callId, name: "fs_read", input: .object(["path": .string("src/m\(i).swift")]))], timestamp: now)))
                var record = ToolCallRecord(id: callId, name: "fs_read", input: .object(["path": .string("src/m\(i).swift")]), state: .completed, createdAt: now)
                record.startedAt = now
                record.finishedAt = now
                record.outputPreview = "struct M\(i) {}\n"
                add(.toolCall(record))
                add(.message(Message(role: .user, content: [.toolResult(toolUseId: callId, content: "struct M\(i) {}\n", isError: false)], timestamp: now)))
                i += 2
            }
            guard i < messages else { break }
            add(.message(Message(role: .assistant, content: [.text("Module \(i % 97) reads the configuration and validates every field.\nIt names the missing key in its error.")], timestamp: now)))
            i += 1
            if batch.count >= 10_000 {
                try await writer.append(batch, durability: .buffered)
                batch.removeAll(keepingCapacity: true)
            }
        }
        try await writer.append(batch, durability: .durable)
        try await writer.close()
        return manifest.id
    }
}
