import Foundation
import KodeKernel
import KodePostgres
import PostgresNIO

/// The 1,000-step tool loop on Kode's PostgreSQL store next to the same loop as a LangGraph
/// agent on LangGraph's PostgreSQL checkpointer (`scripts/bench/langgraph_postgres.py`, run on
/// the same server in this run): write per step, load latest, fork, bytes; and the
/// checkpointer fed plain dicts, a lower bound no LangGraph agent reaches.
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
        // Medians of 31 after 3 unmeasured runs, each kind interleaved with the others: the first
        // use of a pooled connection prepares the statement.
        var loads: [Double] = [], decodes: [Double] = [], raws: [Double] = []
        var snapshotBinds = PostgresBindings()
        snapshotBinds.append(id)
        let rawQuery = PostgresQuery(unsafeSQL: "SELECT data FROM \(schema).snapshots WHERE agent_id = $1 ORDER BY seq DESC LIMIT 1", binds: snapshotBinds)
        for round in 0..<34 {
            let load = try await Bench.seconds { _ = try await store.history(of: id) }
            // And what LangGraph's figure includes: the state decoded.
            let decode = try await Bench.seconds {
                let history = try await store.history(of: id)
                _ = try AgentState.rebuild(from: history)
            }
            // The floor: the server handing over the newest snapshot's row and nothing else.
            let raw = try await Bench.seconds { try await admin.query(rawQuery) }
            if round >= 3 {
                loads.append(load)
                decodes.append(decode)
                raws.append(raw)
            }
        }
        // And a whole resume: ownership taken, history read, state decoded, closed again.
        var resumes: [Double] = []
        for _ in 0..<5 {
            resumes.append(try await Bench.seconds {
                let resumed = try await Agent.resume(id: id, store: store, provider: ScriptedProvider(script: try ScriptedScript.parse(Data(#"{"turns":[]}"#.utf8), source: "bench")), tools: tools)
                await resumed.close()
            })
        }
        let history = try await store.history(of: id)
        let snapshotBytes = history.snapshot?.data.count ?? 0
        let lastSeq = try await store.records(of: id, after: 0).last?.seq ?? 0
        // Forks as the loads: 3 unmeasured (each pooled connection prepares the insert once),
        // then the median of 31.
        var forks: [Double] = []
        for round in 0..<34 {
            let fork = try await Bench.seconds {
                try await store.create(AgentManifest(id: AgentManifest.newID(), config: config, parent: ParentRef(agentId: id, seq: lastSeq)))
            }
            if round >= 3 { forks.append(fork) }
        }
        let bytes = try await admin.int("SELECT sum(pg_total_relation_size(c.oid))::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '\(schema)' AND c.relkind = 'r' AND c.relname IN ('agents', 'records', 'snapshots')")
        let lang = try runLangGraph(steps: steps)
        let load = PostgresWorkloads.median(loads), decode = PostgresWorkloads.median(decodes)
        let raw = PostgresWorkloads.median(raws), resume = PostgresWorkloads.median(resumes), fork = PostgresWorkloads.median(forks)
        let graph = lang.graph, dicts = lang.dicts
        func ms(_ seconds: Double) -> String { Bench.format(seconds * 1e3, "ms") }
        print("  LangGraph: a StateGraph with a ToolNode on PostgresSaver (langgraph-checkpoint-postgres), same server, same \(steps)-step loop")
        Bench.report("vs LangGraph: write per step", value: ms(write), baseline: Bench.format(graph.write, "ms"), ratio: graph.write / (write * 1e3), target: "(LangGraph ÷ Kode; both a whole durable step)")
        Bench.report("vs LangGraph: load latest, decoded", value: ms(decode), baseline: Bench.format(graph.load, "ms"), ratio: graph.load / (decode * 1e3), target: "≥ 10× (get_tuple rebuilds \(graph.messages) message objects)")
        Bench.report("  Kode: the state's bytes in hand", value: ms(load), baseline: Bench.format(graph.load, "ms"), ratio: graph.load / (load * 1e3), target: "-")
        Bench.report("  the newest snapshot row alone, raw SELECT", value: ms(raw), baseline: Bench.format(graph.load, "ms"), ratio: graph.load / (raw * 1e3), target: "- (\(snapshotBytes / 1024) KiB state, \(history.records.count) records after it)")
        Bench.report("  Kode: resume the agent (own, read, decode, close)", value: ms(resume), baseline: Bench.format(graph.load, "ms"), ratio: graph.load / (resume * 1e3), target: "-")
        Bench.report("vs LangGraph: fork", value: ms(fork), baseline: Bench.format(graph.fork, "ms"), ratio: graph.fork / (fork * 1e3), target: "≥ 10× (LangGraph ÷ Kode)")
        Bench.report("vs LangGraph: bytes stored", value: "\(bytes / 1024) KiB", baseline: "\(graph.bytes / 1024) KiB", ratio: Double(graph.bytes) / Double(max(bytes, 1)), target: "(LangGraph ÷ Kode)")
        // The lower bound: the checkpointer fed plain dicts, which no LangGraph agent stores.
        print("  lower bound: the same checkpointer, one put per step, messages as plain dicts")
        Bench.report("  write per step (one put)", value: ms(write), baseline: Bench.format(dicts.write, "ms"), ratio: dicts.write / (write * 1e3), target: "-")
        Bench.report("  load latest, decoded", value: ms(decode), baseline: Bench.format(dicts.load, "ms"), ratio: dicts.load / (decode * 1e3), target: "-")
        Bench.report("  fork", value: ms(fork), baseline: Bench.format(dicts.fork, "ms"), ratio: dicts.fork / (fork * 1e3), target: "-")
        Bench.report("  bytes stored", value: "\(bytes / 1024) KiB", baseline: "\(dicts.bytes / 1024) KiB", ratio: Double(dicts.bytes) / Double(max(bytes, 1)), target: "-")
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

    /// What the script prints: the agent graph's figures and the plain-dict lower bound's.
    struct LangGraphFigures: Decodable {
        var graph: Run
        var dicts: Run

        struct Run: Decodable {
            var write: Double
            var load: Double
            var fork: Double
            var bytes: Int64
            var messages: Int
            enum CodingKeys: String, CodingKey {
                case write = "write_ms", load = "load_ms", fork = "fork_ms", bytes, messages
            }
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
            throw ValidationErrorText("the LangGraph script failed (pip install langgraph langgraph-checkpoint-postgres 'psycopg[binary]')")
        }
        return try JSONDecoder().decode(LangGraphFigures.self, from: Data(line.utf8))
    }
}
