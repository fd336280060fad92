import Foundation
import KodeKernel
import KodePostgres
import PostgresNIO

/// The 1,000-step tool loop on Kode's PostgreSQL store next to LangGraph's PostgreSQL
/// checkpointer (`scripts/bench/langgraph_postgres.py`, run on the same server in this run):
/// write per step, load latest, fork, bytes.
struct LangGraphComparison {
    let store: PostgresStore
    let admin: PostgresAdmin
    let schema: String
    let server: String

    func run(steps: Int) async throws {
        // The same conversation as the script's: step n calls the tool with {"n": n}, and the
        // tool answers with the same 160 characters LangGraph's tool message holds.
        let turns = (0..<steps).map { #"{"tool_calls":[{"name":"noop","input":{"n":\#($0)}}]}"# }
        let script = "{\"turns\":[" + turns.joined(separator: ",") + ",{\"text\":\"done\"}]}"
        var config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: NSTemporaryDirectory())
        config.permission.mode = .auto
        config.maxSteps = steps + 1
        var tools = ToolRegistry.builtins()
        tools.register(BenchTextTool())
        let agent = try await Agent.create(config: config, store: store, provider: ScriptedProvider(script: try ScriptedScript.parse(Data(script.utf8), source: "bench")), tools: tools)
        let id = agent.id
        let seconds = try await Bench.seconds { _ = try await agent.chat("go") }
        await agent.close()
        let write = seconds / Double(steps)
        // Load latest: what the store hands back to rebuild the agent (newest snapshot and the
        // records after it), as get_tuple hands back the newest checkpoint.
        var loads: [Double] = []
        for _ in 0..<9 { loads.append(try await Bench.seconds { _ = try await store.history(of: id) }) }
        // And a whole resume: ownership taken, history read, state decoded, closed again.
        var resumes: [Double] = []
        for _ in 0..<5 {
            resumes.append(try await Bench.seconds {
                let resumed = try await Agent.resume(id: id, store: store, provider: ScriptedProvider(script: try ScriptedScript.parse(Data(#"{"turns":[]}"#.utf8), source: "bench")), tools: tools)
                await resumed.close()
            })
        }
        let history = try await store.history(of: id)
        print("  Kode after close: snapshot \(history.snapshot?.data.count ?? 0) bytes at seq \(history.snapshot?.seq ?? 0), \(history.records.count) records after it")
        var decodes: [Double] = []
        for _ in 0..<9 {
            decodes.append(try await Bench.seconds {
                let h = try await store.history(of: id)
                _ = try StateWire.decode(Array(h.snapshot!.data))
            })
        }
        print("  Kode: history + decode state: \(Bench.format(PostgresWorkloads.median(decodes) * 1e3, "ms"))")
        var raws: [Double] = []
        for _ in 0..<9 {
            raws.append(try await Bench.seconds {
                var binds = PostgresBindings()
                binds.append(id)
                try await admin.query(PostgresQuery(unsafeSQL: "SELECT data FROM \(schema).snapshots WHERE agent_id = $1 ORDER BY seq DESC LIMIT 1", binds: binds))
            })
        }
        print("  raw SELECT of the newest snapshot row: \(Bench.format(PostgresWorkloads.median(raws) * 1e3, "ms"))")
        let lastSeq = try await store.records(of: id, after: 0).last?.seq ?? 0
        var forks: [Double] = []
        for _ in 0..<9 {
            forks.append(try await Bench.seconds {
                try await store.create(AgentManifest(id: AgentManifest.newID(), config: config, parent: ParentRef(agentId: id, seq: lastSeq)))
            })
        }
        let bytes = try await admin.int("SELECT sum(pg_total_relation_size(c.oid))::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '\(schema)' AND c.relkind = 'r' AND c.relname IN ('agents', 'records', 'snapshots')")
        let lang = try runLangGraph(steps: steps)
        let load = PostgresWorkloads.median(loads), fork = PostgresWorkloads.median(forks)
        print("  LangGraph: langgraph-checkpoint-postgres, same server, same \(steps)-step loop")
        Bench.report("vs LangGraph: write per step", value: Bench.format(write * 1e3, "ms"), baseline: Bench.format(lang.write, "ms"), ratio: lang.write / (write * 1e3), target: "(LangGraph ÷ Kode)")
        Bench.report("vs LangGraph: load latest", value: Bench.format(load * 1e3, "ms"), baseline: Bench.format(lang.load, "ms"), ratio: lang.load / (load * 1e3), target: "≥ 10× (LangGraph ÷ Kode)")
        Bench.report("  Kode: resume the agent (own, read, decode, close)", value: Bench.format(PostgresWorkloads.median(resumes) * 1e3, "ms"), baseline: Bench.format(lang.load, "ms"), ratio: lang.load / (PostgresWorkloads.median(resumes) * 1e3), target: "-")
        Bench.report("vs LangGraph: fork", value: Bench.format(fork * 1e3, "ms"), baseline: Bench.format(lang.fork, "ms"), ratio: lang.fork / (fork * 1e3), target: "≥ 10× (LangGraph ÷ Kode)")
        Bench.report("vs LangGraph: bytes stored", value: "\(bytes / 1024) KiB", baseline: "\(lang.bytes / 1024) KiB", ratio: Double(lang.bytes) / Double(max(bytes, 1)), target: "(LangGraph ÷ Kode)")
    }

    /// The tool of the loop: answers with the text LangGraph's tool message holds.
    struct BenchTextTool: Tool {
        var name: String { "noop" }
        var description: String { "Answers with a fixed text." }
        var inputSchema: JSONValue { ["type": "object", "properties": ["n": ["type": "integer"]], "additionalProperties": false] }
        var isReadOnly: Bool { true }
        func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
            ToolOutput(content: String(repeating: "kode bench text ", count: 10))
        }
    }

    struct LangGraphFigures: Decodable {
        var write: Double
        var load: Double
        var fork: Double
        var bytes: Int64
        enum CodingKeys: String, CodingKey {
            case write = "write_ms", load = "load_ms", fork = "fork_ms", bytes
        }
    }

    private func runLangGraph(steps: Int) throws -> LangGraphFigures {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/bench/langgraph_postgres.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, server, String(steps)]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        var status: Int32 = 0
        waitpid(process.processIdentifier, &status, 0)
        guard status == 0, let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last else {
            throw ValidationErrorText("the LangGraph script failed (pip install langgraph-checkpoint-postgres 'psycopg[binary]')")
        }
        return try JSONDecoder().decode(LangGraphFigures.self, from: Data(line.utf8))
    }
}
