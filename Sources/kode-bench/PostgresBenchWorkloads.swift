import Foundation
import KodeKernel
import KodePostgres
import PostgresNIO

/// The PostgreSQL store's workloads, each next to its baseline on the same server.
struct PostgresWorkloads {
    let store: PostgresStore
    let admin: PostgresAdmin
    let schema: String

    /// A ~200-byte message record, as a conversation step writes.
    static func record(_ seq: UInt64) -> LogRecord {
        let text = String(repeating: "kode bench text ", count: 10)
        return LogRecord(seq: seq, timestamp: Date(), body: .message(Message(id: "msg_\(seq)", role: .user, content: [.text(text)], timestamp: Date())))
    }

    func newAgent(parent: ParentRef? = nil) async throws -> AgentManifest {
        let manifest = AgentManifest(id: AgentManifest.newID(), config: AgentConfig(provider: ProviderConfig(name: "scripted", model: "bench"), workDir: "/tmp"), parent: parent)
        try await store.create(manifest)
        return manifest
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    /// Durable single-record appends versus single-row INSERT + COMMIT of the same bytes, in
    /// alternating rounds (the disk's latency drifts), medians compared.
    func appendVersusInsert(perRound: Int, rounds: Int) async throws {
        try await admin.execute("CREATE TABLE \(schema).raw (agent_id text, seq bigint, type smallint, payload bytea, PRIMARY KEY (agent_id, seq))")
        let manifest = try await newAgent()
        let writer = try await store.openLogWriter(manifest.id)
        let payload = try RecordBytes.encode([Self.record(1)])[0].payload
        var seq: UInt64 = 0
        var rawSeq: Int64 = 0
        var kode: [Double] = [], raw: [Double] = [], unprepared: [Double] = [], pooled: [Double] = []
        let rawInsert = { [schema] (seq: Int64) -> PostgresQuery in
            var binds = PostgresBindings()
            binds.append("raw")
            binds.append(seq)
            binds.append(Int16(2))
            binds.append(ByteBuffer(bytes: payload))
            return PostgresQuery(unsafeSQL: "INSERT INTO \(schema).raw VALUES ($1, $2, $3, $4)", binds: binds)
        }
        for _ in 0..<rounds {
            // The same appends with the commit statement parsed and planned every time (as
            // before it was prepared), interleaved with the rest so all see the same disk.
            store.preparedAppends.store(false, ordering: .relaxed)
            let u = try await Bench.seconds {
                for _ in 0..<perRound {
                    seq += 1
                    try await writer.append([Self.record(seq)], durability: .durable)
                }
            }
            store.preparedAppends.store(true, ordering: .relaxed)
            unprepared.append(Double(perRound) / u)
            let k = try await Bench.seconds {
                for _ in 0..<perRound {
                    seq += 1
                    try await writer.append([Self.record(seq)], durability: .durable)
                }
            }
            kode.append(Double(perRound) / k)
            let r = try await Bench.seconds {
                for _ in 0..<perRound {
                    rawSeq += 1
                    try await admin.query(rawInsert(rawSeq))
                }
            }
            raw.append(Double(perRound) / r)
            // The raw insert again, through the store's pool and deadline: what the client side
            // of a commit costs before Kode's statement does anything.
            let p = try await Bench.seconds {
                for _ in 0..<perRound {
                    rawSeq += 1
                    _ = try await store.database.rows("inserting", rawInsert(rawSeq))
                }
            }
            pooled.append(Double(perRound) / p)
        }
        try await writer.close()
        let (a, b) = (Self.median(kode), Self.median(raw))
        Bench.report("durable single-record append", value: Bench.format(a, "rec/s", decimals: 0),
                     baseline: Bench.format(b, "INSERT+COMMIT/s", decimals: 0), ratio: a / b, target: "≥ 0.70×")
        let c = Self.median(unprepared)
        Bench.report("  the same, statement not prepared", value: Bench.format(c, "rec/s", decimals: 0),
                     baseline: Bench.format(b, "INSERT+COMMIT/s", decimals: 0), ratio: c / b, target: "(the figure before preparing)")
        let d = Self.median(pooled)
        Bench.report("  raw INSERT+COMMIT through the store's pool", value: Bench.format(d, "rows/s", decimals: 0),
                     baseline: Bench.format(b, "INSERT+COMMIT/s", decimals: 0), ratio: d / b, target: "(the client's share)")
    }

    /// `together` appends queued at once (one commit for all of them) versus one multi-row
    /// INSERT of the same rows per commit.
    func groupCommitVersusBatch(together: Int, batches: Int) async throws {
        let manifest = try await newAgent()
        let writer = try await store.openLogWriter(manifest.id)
        let payload = try RecordBytes.encode([Self.record(1)])[0].payload
        var seq: UInt64 = 0
        var rawSeq: Int64 = 1_000_000
        var kode: [Double] = [], raw: [Double] = []
        for _ in 0..<4 {
            let k = try await Bench.seconds {
                for _ in 0..<batches {
                    var queued: [PostgresLogWriter.QueuedAppend] = []
                    for _ in 0..<together {
                        seq += 1
                        queued.append(try writer.enqueue([Self.record(seq)], durability: .durable))
                    }
                    for append in queued { try await append.wait() }
                }
            }
            kode.append(Double(batches * together) / k)
            let r = try await Bench.seconds {
                for _ in 0..<batches {
                    let seqs = (0..<together).map { _ in rawSeq += 1; return rawSeq }
                    var binds = PostgresBindings()
                    binds.append(seqs)
                    binds.append(Array(repeating: Int16(2), count: together))
                    binds.append(Array(repeating: ByteBuffer(bytes: payload), count: together))
                    try await admin.query(PostgresQuery(unsafeSQL: "INSERT INTO \(schema).raw SELECT 'batch', s, t, p FROM unnest($1::bigint[], $2::smallint[], $3::bytea[]) AS u (s, t, p)", binds: binds))
                }
            }
            raw.append(Double(batches * together) / r)
        }
        try await writer.close()
        let (a, b) = (Self.median(kode), Self.median(raw))
        Bench.report("group commit (\(together) appends together)", value: Bench.format(a, "rec/s", decimals: 0),
                     baseline: Bench.format(b, "rows/s batched", decimals: 0), ratio: a / b, target: "≥ 0.50×")
    }

    /// A real agent doing durable tool steps on this store: commits that waited for the WAL flush, per step.
    func commitsPerToolStep(steps: Int) async throws {
        let turn = #"{"tool_calls":[{"name":"noop","input":{"n":1}}]}"#
        let script = "{\"turns\":[" + Array(repeating: turn, count: steps).joined(separator: ",") + ",{\"text\":\"done\"}]}"
        let parsed = try ScriptedScript.parse(Data(script.utf8), source: "bench")
        var config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: NSTemporaryDirectory())
        config.permission.mode = .auto
        config.maxSteps = steps + 1
        var tools = ToolRegistry.builtins()
        tools.register(NoopTool())
        let agent = try await Agent.create(config: config, store: store, provider: ScriptedProvider(script: parsed), tools: tools)
        let before = store.durableCommitCount
        let seconds = try await Bench.seconds { _ = try await agent.chat("go") }
        let perStep = Double(store.durableCommitCount - before) / Double(steps)
        await agent.close()
        Bench.report("durable tool step: commits per step", value: Bench.format(perStep, "commits"), baseline: "-", ratio: perStep / 4, target: "≤ 4 commits")
        Bench.report("durable tool step: time per step", value: Bench.format(seconds / Double(steps) * 1e3, "ms"), baseline: "-", ratio: 0, target: "-")
    }

    /// history() of an agent with `messages` message records and a snapshot near the end (the
    /// store's part of opening: the snapshot plus the records after it), against reading every
    /// record of the same log.
    func loadLatest(messages: Int) async throws {
        let manifest = try await newAgent()
        let writer = try await store.openLogWriter(manifest.id)
        var seq: UInt64 = 0
        var total = 0
        while seq < UInt64(messages) {
            let batch = (0..<min(2_000, messages - Int(seq))).map { _ in seq += 1; return Self.record(seq) }
            total += try RecordBytes.encode(batch).reduce(0) { $0 + $1.payload.count }
            try await writer.append(batch, durability: .durable)
        }
        // A snapshot as large as the conversation it folds, then a few records after it.
        try await writer.writeSnapshot(StoredSnapshot(seq: seq, data: Data(repeating: 0x6B, count: total)))
        for _ in 0..<10 { seq += 1; try await writer.append([Self.record(seq)], durability: .durable) }
        try await writer.close()
        var latest: [Double] = [], everything: [Double] = []
        for _ in 0..<9 {
            latest.append(try await Bench.seconds { _ = try await store.history(of: manifest.id) })
            everything.append(try await Bench.seconds { _ = try await store.records(of: manifest.id, after: 0) })
        }
        let (a, b) = (Self.median(latest), Self.median(everything))
        Bench.report("load latest at \(messages) messages", value: Bench.format(a * 1e3, "ms"),
                     baseline: Bench.format(b * 1e3, "ms (all records)"), ratio: a / b, target: "≤ 30 ms")
    }

    /// Forking at the end of a 1k- and a 100k-record history: one row either way.
    func forkCost() async throws {
        var medians: [Int: Double] = [:]
        for size in [1_000, 100_000] {
            let parent = try await newAgent()
            let writer = try await store.openLogWriter(parent.id)
            var seq: UInt64 = 0
            while seq < UInt64(size) {
                let batch = (0..<min(5_000, size - Int(seq))).map { _ in seq += 1; return Self.record(seq) }
                try await writer.append(batch, durability: .buffered)
            }
            try await writer.close()
            // Let the server write the history out first, so the forks do not queue behind it
            // on the disk (needs a superuser; without one the forks just share the disk).
            try? await admin.execute("CHECKPOINT")
            var times: [Double] = []
            for _ in 0..<41 {
                times.append(try await Bench.seconds { _ = try await newAgent(parent: ParentRef(agentId: parent.id, seq: seq)) })
            }
            medians[size] = Self.median(times)
        }
        let (small, large) = (medians[1_000]!, medians[100_000]!)
        Bench.report("fork (100k-record parent)", value: Bench.format(large * 1e3, "ms"), baseline: Bench.format(small * 1e3, "ms (1k parent)"), ratio: large / small, target: "≤ 2 ms; ratio ≤ 1.5")
    }
}
