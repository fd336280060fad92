import Foundation
import KodeKernel
import PostgresNIO

/// The store's tables (docs/POSTGRES.md, "Schema") and the migrations that build them.
///
/// Version n of the schema is the first n migrations. Opening applies the missing ones in one
/// transaction under a lock, so workers starting together migrate once; a database whose version
/// is newer than `migrations.count` is refused, naming both versions.
enum StoreSchema {
    /// Each migration: SQL statements with `{s}` standing for the quoted schema name.
    static let migrations: [[String]] = [
        // 1: agents, their records and snapshots, and the workers that own them. Records and
        // snapshots have no foreign key to agents: a key check per inserted row made group commits
        // several times slower, and every insert already goes through the agent's row (the
        // fencing update), and deleting removes them in the same statement.
        [
            """
            CREATE TABLE {s}.agents (
                id text PRIMARY KEY,
                manifest bytea NOT NULL,
                created double precision NOT NULL,
                parent_id text REFERENCES {s}.agents (id),
                parent_seq bigint,
                last_seq bigint NOT NULL,
                epoch bigint NOT NULL DEFAULT 0,
                owner text
            )
            """,
            "CREATE INDEX agents_parent ON {s}.agents (parent_id) WHERE parent_id IS NOT NULL",
            """
            CREATE TABLE {s}.records (
                agent_id text NOT NULL,
                seq bigint NOT NULL,
                type smallint NOT NULL,
                payload bytea NOT NULL,
                PRIMARY KEY (agent_id, seq)
            )
            """,
            """
            CREATE TABLE {s}.snapshots (
                agent_id text NOT NULL,
                seq bigint NOT NULL,
                data bytea NOT NULL,
                PRIMARY KEY (agent_id, seq)
            )
            """,
            """
            CREATE TABLE {s}.workers (
                id text PRIMARY KEY,
                description text NOT NULL,
                pid integer NOT NULL,
                host text NOT NULL,
                backend_pid integer NOT NULL,
                started timestamptz NOT NULL DEFAULT now(),
                heartbeat timestamptz NOT NULL DEFAULT now()
            )
            """,
        ],
        // 2: the command inbox (docs/POSTGRES.md, "The command inbox"): what clients on any worker
        // ask of an agent, applied in `id` order by its owner. `applied` is set in the same
        // transaction as the records the command produced (or, for commands whose effect is
        // idempotent, right after it); `outcome` is the result or error text handed back.
        [
            """
            CREATE TABLE {s}.commands (
                id bigserial PRIMARY KEY,
                agent_id text NOT NULL,
                kind text NOT NULL,
                body bytea NOT NULL,
                submitted timestamptz NOT NULL DEFAULT now(),
                applied timestamptz,
                failed boolean NOT NULL DEFAULT false,
                outcome text
            )
            """,
            "CREATE INDEX commands_pending ON {s}.commands (agent_id, id) WHERE applied IS NULL",
        ],
    ]

    /// The schema version this build writes.
    static var currentVersion: Int { migrations.count }

    /// Creates or upgrades the schema; refuses a newer one. On a connection of its own rather
    /// than the pool: the pool retries a failed connection until the deadline, while this is the
    /// first contact, whose failure (refused, no TLS, bad password) should be reported as it is.
    static func migrate(_ database: StoreDatabase) async throws {
        let schema = database.url.schema
        let quoted = "\"\(schema)\""
        let connection = try await database.dedicatedConnection("connecting")
        defer { Task { try? await connection.close() } }
        try await database.run("migrating schema \(schema)") { [logger = database.logger] in
            try await connection.withTransaction(logger: logger) { connection in
                // One migrator per schema at a time: the others wait here, then find it done.
                try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\("kode-schema/" + schema), 0))", logger: logger)
                try await connection.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(quoted)"), logger: logger)
                try await connection.query(PostgresQuery(unsafeSQL: "CREATE TABLE IF NOT EXISTS \(quoted).schema_version (version integer NOT NULL)"), logger: logger)
                var version = 0
                for try await (value) in try await connection.query(PostgresQuery(unsafeSQL: "SELECT version FROM \(quoted).schema_version"), logger: logger).decode(Int.self) {
                    version = value
                }
                guard version <= currentVersion else {
                    throw StoreError.unsupportedVersion(file: "\(database.url) schema \(schema) (version \(version); this build supports up to \(currentVersion))", version: version)
                }
                guard version < currentVersion else { return }
                for migration in migrations[version...] {
                    for statement in migration {
                        try await connection.query(PostgresQuery(unsafeSQL: statement.replacingOccurrences(of: "{s}", with: quoted)), logger: logger)
                    }
                }
                if version == 0 {
                    try await connection.query(PostgresQuery(unsafeSQL: "INSERT INTO \(quoted).schema_version VALUES (\(currentVersion))"), logger: logger)
                } else {
                    try await connection.query(PostgresQuery(unsafeSQL: "UPDATE \(quoted).schema_version SET version = \(currentVersion)"), logger: logger)
                }
            }
        }
    }
}
