import Foundation
import KodeKernel
import PostgresNIO

/// The store's tables (docs/POSTGRES.md, "Schema") and the migrations that build them.
///
/// Version n of the schema is the first n migrations. Opening applies the missing ones in one
/// transaction under a lock, so workers starting together migrate once; a database whose version
/// is newer than `migrations.count` is refused, naming both versions.
package enum StoreSchema {
    /// Each migration: SQL statements with `{s}` standing for the quoted schema name and
    /// `{schema}` for the name as a string literal (a plain identifier, checked by `PostgresURL`).
    static let migrations: [[String]] = [
        // 1: agents, their records and snapshots, and the workers that own them. Records and
        // snapshots have no foreign key to agents: a key check per inserted row made group commits
        // several times slower, every insert is fenced against the agent's row anyway, and
        // deleting removes them in the same transaction.
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
        // 3: the fence without a row update (docs/POSTGRES.md, "Ownership and fencing"). An
        // append took the agent's row lock to move `last_seq`, and that update was most of the
        // server's work of a single durable append. Now an append holds a shared advisory lock
        // on (agent, its epoch), the gate, and checks the epoch in a fresh snapshot; a takeover
        // takes the gate exclusively before it bumps the epoch. The head seq is read from the
        // records instead of being kept in the row.
        [
            "ALTER TABLE {s}.agents DROP COLUMN last_seq",
            """
            CREATE FUNCTION {s}.kode_gate(p_agent text, p_epoch bigint) RETURNS bigint
            LANGUAGE sql IMMUTABLE AS $$ SELECT hashtextextended('kode-gate/' || {schema} || '/' || p_agent || '/' || p_epoch, 0) $$
            """,
            // The last stored seq: the newest own record, else the fork point.
            """
            CREATE FUNCTION {s}.kode_head(p_agent text) RETURNS bigint LANGUAGE sql STABLE AS $$
                SELECT COALESCE((SELECT max(r.seq) FROM {s}.records r WHERE r.agent_id = p_agent),
                                (SELECT a.parent_seq FROM {s}.agents a WHERE a.id = p_agent), 0)
            $$
            """,
            // Volatile PL/pgSQL: the EXISTS below takes its own snapshot, after the gate is held,
            // so it sees any bump that committed before this append could enter.
            """
            CREATE FUNCTION {s}.kode_fence(p_agent text, p_epoch bigint) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
            BEGIN
                IF current_setting('transaction_isolation') <> 'read committed' THEN
                    RAISE EXCEPTION 'the Kode store needs READ COMMITTED transactions, not %', current_setting('transaction_isolation');
                END IF;
                PERFORM pg_advisory_xact_lock_shared({s}.kode_gate(p_agent, p_epoch));
                RETURN EXISTS (SELECT 1 FROM {s}.agents a WHERE a.id = p_agent AND a.epoch = p_epoch);
            END $$
            """,
            // Waits for the appends in flight at the old epoch (they hold the gate shared), bumps,
            // and reads the head after them. NULLs when there is no such agent.
            """
            CREATE FUNCTION {s}.kode_claim(p_agent text, p_worker text, OUT new_epoch bigint, OUT head bigint)
            LANGUAGE plpgsql VOLATILE AS $$
            DECLARE was bigint;
            BEGIN
                IF current_setting('transaction_isolation') <> 'read committed' THEN
                    RAISE EXCEPTION 'the Kode store needs READ COMMITTED transactions, not %', current_setting('transaction_isolation');
                END IF;
                SELECT a.epoch INTO was FROM {s}.agents a WHERE a.id = p_agent;
                IF NOT FOUND THEN RETURN; END IF;
                PERFORM pg_advisory_xact_lock({s}.kode_gate(p_agent, was));
                UPDATE {s}.agents a SET epoch = was + 1, owner = p_worker WHERE a.id = p_agent AND a.epoch = was
                    RETURNING a.epoch INTO new_epoch;
                head := {s}.kode_head(p_agent);
            END $$
            """,
            // Deleting closes the gate too, so no append in flight lands after its records went.
            // `false` when an owner holds the agent; a fork still pointing at it fails the key.
            """
            CREATE FUNCTION {s}.kode_delete(p_agent text, p_lock bigint) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
            DECLARE now_epoch bigint;
            BEGIN
                IF current_setting('transaction_isolation') <> 'read committed' THEN
                    RAISE EXCEPTION 'the Kode store needs READ COMMITTED transactions, not %', current_setting('transaction_isolation');
                END IF;
                IF NOT pg_try_advisory_xact_lock(p_lock) THEN RETURN false; END IF;
                SELECT a.epoch INTO now_epoch FROM {s}.agents a WHERE a.id = p_agent;
                IF NOT FOUND THEN RETURN false; END IF;
                PERFORM pg_advisory_xact_lock({s}.kode_gate(p_agent, now_epoch));
                DELETE FROM {s}.agents WHERE id = p_agent;
                DELETE FROM {s}.records WHERE agent_id = p_agent;
                DELETE FROM {s}.snapshots WHERE agent_id = p_agent;
                DELETE FROM {s}.commands WHERE agent_id = p_agent;
                RETURN true;
            END $$
            """,
        ],
        // 4: snapshots kept out of line and not compressed by the server. The client compresses
        // them already (`SnapshotCompression`); the server compressing the result again (pglz
        // found a little more) cost every read of the newest snapshot a pglz decompression, a
        // third of fetching a long agent's row. Rows written before keep their storage until
        // they are replaced by newer snapshots.
        [
            "ALTER TABLE {s}.snapshots ALTER COLUMN data SET STORAGE EXTERNAL",
        ],
    ]

    /// The statements that take `schema` from version `from` to version `to`, as opening runs
    /// them (a test also builds an older schema with them, to migrate from).
    package static func statements(from: Int = 0, to: Int, schema: String) -> [String] {
        migrations[from..<to].flatMap { $0 }.map { statement in
            statement.replacingOccurrences(of: "{s}", with: "\"\(schema)\"").replacingOccurrences(of: "{schema}", with: "'\(schema)'")
        }
    }

    /// The schema version this build writes.
    package static var currentVersion: Int { migrations.count }

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
                for statement in statements(from: version, to: currentVersion, schema: schema) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
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
