import ArgumentParser
import Foundation
import KodeKernel
import KodePostgres
import PostgresNIO

/// `kode-bench postgres`: the PostgreSQL store against baselines on the same server in the same
/// run (docs/PERFORMANCE.md, "PostgreSQL store"). Needs a server: `--url`, else `KODE_PG_URL`
/// (`scripts/postgres-throwaway.sh` starts one). Everything runs in a fresh schema, dropped after.
struct PostgresBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postgres",
        abstract: "PostgreSQL store: durable appends, group commit, commits per tool step, load latest, fork, takeover."
    )

    @Option(help: "The server (default: $KODE_PG_URL).") var url: String?
    @Option(help: "Durable single-record appends (and as many raw INSERT+COMMITs) per round.") var appends: Int = 200
    @Option(help: "Alternating rounds of appends and raw INSERTs.") var rounds: Int = 6
    @Option(help: "Appends that arrive together in the group-commit run.") var together: Int = 64
    @Option(help: "Messages in the long history for load latest.") var messages: Int = 20_000
    @Option(help: "Kills for the takeover time.") var kills: Int = 20
    @Flag(help: "Run only the takeover measurements (store-level and between workers).") var takeoverOnly = false
    @Flag(help: "Run only the durable single-record append against raw INSERT+COMMIT.") var appendOnly = false
    @Flag(help: "Skip the LangGraph comparison (it needs langgraph and langgraph-checkpoint-postgres from PyPI).") var skipLangGraph = false
    @Flag(help: "Run only the comparison with LangGraph's PostgreSQL checkpointer.") var compareOnly = false

    func run() async throws {
        guard let server = url ?? ProcessInfo.processInfo.environment["KODE_PG_URL"] else {
            throw ValidationError("give --url or set KODE_PG_URL (scripts/postgres-throwaway.sh starts a server)")
        }
        let admin = try await PostgresAdmin(server)
        try await Self.withStore("kode_bench", server: server, admin: admin) { store, schema, storeURL in
            print("PostgreSQL store benchmarks on \(PostgresURL.redact(server)), schema \(schema)")
            let workloads = PostgresWorkloads(store: store, admin: admin, schema: schema)
            if takeoverOnly || appendOnly || compareOnly {
                if compareOnly { try await compareWithLangGraph(server: server, admin: admin) }
                if appendOnly { try await workloads.appendVersusInsert(perRound: appends, rounds: rounds) }
                if takeoverOnly { try await TakeoverBench(storeURL: storeURL, store: store).run(kills: kills) }
                return
            }
            try await workloads.appendVersusInsert(perRound: appends, rounds: rounds)
            try await workloads.groupCommitVersusBatch(together: together, batches: max(4, 2_000 / together))
            try await workloads.commitsPerToolStep(steps: 100)
            try await workloads.loadLatest(messages: messages)
            try await workloads.forkCost()
            try await TakeoverBench(storeURL: storeURL, store: store).run(kills: kills)
            if !skipLangGraph { try await compareWithLangGraph(server: server, admin: admin) }
        }
        await admin.close()
    }

    /// Runs `body` with a store in a fresh schema (`prefix_…`) and that schema's store URL, then
    /// drops the schema, also when `body` throws.
    static func withStore(
        _ prefix: String, server: String, admin: PostgresAdmin,
        _ body: (_ store: PostgresStore, _ schema: String, _ storeURL: String) async throws -> Void
    ) async throws {
        let schema = prefix + "_" + UUID().uuidString.prefix(8).lowercased()
        try await admin.execute("CREATE SCHEMA \(schema)")
        let storeURL = server + (server.contains("?") ? "&" : "?") + "schema=\(schema)"
        let store: PostgresStore
        do {
            store = try await PostgresStore.open(try PostgresURL(storeURL))
        } catch {
            try? await admin.execute("DROP SCHEMA \(schema) CASCADE")
            throw error
        }
        do {
            try await body(store, schema, storeURL)
        } catch {
            await store.shutdown()
            try? await admin.execute("DROP SCHEMA \(schema) CASCADE")
            throw error
        }
        await store.shutdown()
        try await admin.execute("DROP SCHEMA \(schema) CASCADE")
    }

    /// The LangGraph comparison in a schema of its own, so the bytes it reports are its agent's
    /// alone (LangGraph's script likewise makes a database of its own).
    func compareWithLangGraph(server: String, admin: PostgresAdmin) async throws {
        try await Self.withStore("kode_bench_lg", server: server, admin: admin) { store, schema, _ in
            try await LangGraphComparison(store: store, admin: admin, schema: schema, server: server).run(steps: 1_000)
        }
    }
}

/// One plain connection for the baselines and housekeeping.
final class PostgresAdmin: Sendable {
    let connection: PostgresConnection
    let logger = Logger(label: "kode.bench.postgres")

    init(_ text: String) async throws {
        let url = try PostgresURL(text)
        var configuration = PostgresConnection.Configuration(host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(10)
        connection = try await PostgresConnection.connect(configuration: configuration, id: 99, logger: logger)
    }

    func execute(_ sql: String) async throws {
        _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).get()
    }

    func query(_ query: PostgresQuery) async throws {
        _ = try await connection.query(query, logger: logger).get()
    }

    func int(_ sql: String) async throws -> Int64 {
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).get()
        return try rows.rows.first?.decode(Int64.self) ?? 0
    }

    func close() async { try? await connection.close() }
}
