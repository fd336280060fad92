import ArgumentParser
import Foundation
import KodeKernel

/// `kode-bench room`: a room of N agents exchanging M messages (docs/PERFORMANCE.md, "Rooms").
///
/// Code posts the messages, each from one member to the next (`@next`), so every message is one
/// durable append to the room's log and one to the receiver's; receivers answer in their turns
/// on a zero-latency scripted model, as a room runs. Measured one post at a time and in batches
/// (one sync of the room's log and of each receiver's per batch). The baseline is the same
/// number of plain durable appends to one agent's log, measured in the same run.
struct RoomBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "room",
        abstract: "Room throughput: N agents, M messages, against M plain appends to one log."
    )

    @Option(help: "Members of the room.") var agents = 10
    @Option(help: "Messages posted.") var messages = 10_000
    @Option(help: "Messages per batch in the batched run.") var batch = 100
    @Option(help: "Hops of the room_send relay (agents passing one message on in their turns).") var hops = 500

    func run() async throws {
        print("room: \(agents) agents, \(messages) messages (wall clock; file store with fdatasync)")
        let baseline = try await plainAppends()
        Bench.report("baseline: plain durable appends, 1 log", value: rate(messages, baseline), baseline: "-", ratio: 1, target: "-")
        let single = try await roomRun(batch: 1)
        Bench.report("room, one post at a time", value: rate(messages, single), baseline: rate(messages, baseline),
                     ratio: single / baseline, target: "reported")
        let batched = try await roomRun(batch: batch)
        Bench.report("room, batches of \(batch)", value: rate(messages, batched), baseline: rate(messages, baseline),
                     ratio: batched / baseline, target: "reported")
        print("deliveries checked: every member's log holds its \(messages / agents) message(s) once, in seq order")
        let relayHops = max(1, hops / agents) * agents
        let relay = try await relayRun()
        Bench.report("room_send relay (\(relayHops) hops), per hop", value: Bench.format(relay / Double(relayHops) * 1000, "ms"),
                     baseline: Bench.format(baseline / Double(messages) * 1000, "ms/append"),
                     ratio: (relay / Double(relayHops)) / (baseline / Double(messages)), target: "reported")
    }

    func rate(_ count: Int, _ seconds: Double) -> String {
        Bench.format(Double(count) / seconds, "msg/s", decimals: 0)
    }

    /// M single-record durable appends to one agent's log (the work of one delivery, alone).
    func plainAppends() async throws -> Double {
        let dir = try RoomBenchDirectory()
        defer { dir.remove() }
        let store = try FileStore(root: dir.url)
        let manifest = AgentManifest(id: AgentManifest.newID(), config: AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: dir.url.path))
        try await store.create(manifest)
        let writer = try await store.openWriter(manifest.id)
        let seconds = try await Bench.seconds {
            for i in 0..<messages {
                let input = QueuedInput(id: "in_\(i)", text: "[room bench #\(i + 1) from @a0 to @a1, you are @a1]\nmessage \(i)")
                try await writer.append([LogRecord(seq: UInt64(i + 1), timestamp: Date(), body: .inputQueued(input))], durability: .durable)
            }
        }
        try await writer.close()
        return seconds
    }

    func roomRun(batch: Int) async throws -> Double {
        let dir = try RoomBenchDirectory()
        defer { dir.remove() }
        let script = try ScriptedScript.parse(Data(#"{"turns":[]}"#.utf8), source: "bench")
        let (room, members) = try await dir.room("bench", agents: agents) { _ in script }
        let posts = (0..<messages).map { i in (text: "@a\((i + 1) % agents) message \(i)", from: "a\(i % agents)") }
        let seconds = try await Bench.seconds {
            var start = 0
            while start < posts.count {
                let end = min(start + batch, posts.count)
                try await room.post(Array(posts[start..<end]))
                start = end
            }
            await room.waitUntilQuiet()
        }
        // What was measured must have happened: each member holds its messages, once, in order.
        for (i, agent) in members.enumerated() {
            let state = await agent.snapshot()
            let ids = (state.messages.map(\.id) + state.queuedInputs.map(\.id)).filter { $0.hasPrefix("room:bench:") }
            let seqs = ids.compactMap { UInt64($0.dropFirst("room:bench:".count)) }
            let expected = (0..<messages).filter { ($0 + 1) % agents == i }.map { UInt64($0 + 1) }
            guard seqs == expected else { throw ValidationError("member a\(i) received \(seqs.count) message(s), expected \(expected.count) in order") }
        }
        await room.close()
        for agent in members { await agent.close() }
        return seconds
    }
}

extension RoomBench {
    /// One message relayed around the ring by the agents themselves: each receiver's turn calls
    /// `room_send` to `@next`, so a hop is a whole turn (input, model step, tool call, result,
    /// answer) plus the post.
    func relayRun() async throws -> Double {
        let dir = try RoomBenchDirectory()
        defer { dir.remove() }
        let rounds = max(1, hops / agents)
        let (room, members) = try await dir.room("relay", agents: agents) { i in
            let next: String = "a\((i + 1) % agents)"
            let send: String = #"{"tool_calls":[{"name":"room_send","input":{"text":"@"# + next + #" hop"}}]}"#
            let pair: String = send + #",{"text":"ok"}"#
            let turns: String = Array(repeating: pair, count: rounds).joined(separator: ",")
            return try ScriptedScript.parse(Data((#"{"turns":["# + turns + "]}").utf8), source: "relay")
        }
        // Every agent passes the message on `rounds` times; then the script of the next to get
        // it is over and the relay ends with exactly `agents * rounds` hops.
        let seconds = try await Bench.seconds {
            try await room.post("@a0 start", by: "bench")
            await room.waitUntilQuiet()
        }
        let passed = await room.snapshot().lastSeq - 1
        guard passed == UInt64(agents * rounds) else { throw ValidationError("the relay made \(passed) hops, expected \(agents * rounds)") }
        await room.close()
        for agent in members { await agent.close() }
        return seconds
    }
}

/// A temporary directory for one measurement.
struct RoomBenchDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("kode-bench-room-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }

    /// A room `name` of `agents` members `a0`, `a1`… on a fresh file store in this directory,
    /// each a scripted agent (`script(i)`) with `room_send` and no workspace snapshots.
    func room(_ name: String, agents: Int, script: (Int) throws -> ScriptedScript) async throws -> (Room, [Agent]) {
        let work = url.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let store = try FileStore(root: url.appendingPathComponent("store"))
        let directory = RoomDirectory()
        let room = try await Room.create(name, in: FileRoomStore(directory: url.appendingPathComponent("rooms")), directory: directory)
        var members: [Agent] = []
        for i in 0..<agents {
            var tools = ToolRegistry.builtins()
            tools.register(RoomSendTool(directory: directory))
            let config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: work.path,
                                     workspace: WorkspaceConfig(enabled: false))
            let dependencies = AgentDependencies(store: store, provider: ScriptedProvider(script: try script(i)), tools: tools)
            let agent = try await Agent.create(config: config, dependencies: dependencies)
            try await room.join("a\(i)", agent: agent)
            members.append(agent)
        }
        return (room, members)
    }
}
