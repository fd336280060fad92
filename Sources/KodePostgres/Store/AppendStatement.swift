import Foundation
import PostgresNIO

/// The append commit (see `PostgresLogWriter.commit`) as a prepared statement: parsed and
/// planned once per pooled connection instead of at every commit, which is most of the client's
/// cost when a single durable append costs a fraction of a millisecond on the server. The table
/// names are unqualified: the store's pool connects with `search_path` set to its schema (and
/// `synchronous_commit` on, which a durable commit therefore need not set).
///
/// The fence is `fence`: the agent's row, locked `FOR SHARE` until the commit, only while its
/// epoch is the writer's (docs/POSTGRES.md, "Ownership and fencing").
struct AppendStatement<Kind: AppendKind>: PostgresPreparedStatement {
    static var sql: String { Kind.sql }

    /// The common table expression every commit of an owner starts with: one row when agent `$1`
    /// still has epoch `$2`, none when another owner bumped it (or the agent is gone). The row
    /// lock is held until the commit, and a takeover's update of the epoch waits for it; a commit
    /// that starts after that update finds the row changed, and READ COMMITTED re-checks the
    /// condition against the newest version before locking, so it gets no row. Cheaper than the
    /// PL/pgSQL `kode_fence` of schema version 3, which older builds still call (a takeover
    /// waits for both kinds; docs/PERFORMANCE.md, "PostgreSQL store").
    static var fence: String { "fence AS (SELECT true AS ok FROM agents WHERE id = $1 AND epoch = $2 FOR SHARE)" }

    /// The statement's text; `marking` adds common table expressions that may refer to `fence`
    /// (the inbox's command marks, `PostgresLogWriter.markingQuery`) and bind parameters from `$7`.
    static func text(marking: String = "") -> String {
        """
        WITH \(fence),\(Kind.extra) inserted AS (
            INSERT INTO records (agent_id, seq, type, payload)
            SELECT $1, r.seq, r.type, r.payload FROM fence, unnest($3::bigint[], $4::smallint[], $5::bytea[]) AS r (seq, type, payload)
            WHERE fence.ok
            RETURNING 1
        )\(marking)
        SELECT (SELECT count(*) FROM fence WHERE ok), (SELECT count(*) FROM inserted), \(Kind.last)
        """
    }

    typealias Row = (fenced: Int64, inserted: Int64)

    var agent: String
    var epoch: Int64
    var seqs: [Int64]
    var types: [Int16]
    var payloads: [ByteBuffer]
    var channel: String

    func makeBindings() throws -> PostgresBindings {
        var binds = PostgresBindings(capacity: 6)
        binds.append(agent)
        binds.append(epoch)
        binds.append(seqs)
        binds.append(types)
        binds.append(payloads)
        binds.append(channel)
        return binds
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let (fenced, inserted, _) = try row.decode((Int64, Int64, Int64).self)
        return (fenced, inserted)
    }
}

/// What differs between the three commits a writer makes.
protocol AppendKind: Sendable {
    /// Common table expressions after `fence`, each ending in a comma.
    static var extra: String { get }
    /// The third column of the result (an integer).
    static var last: String { get }
    /// `AppendStatement<Self>.text()`, built once.
    static var sql: String { get }
}

/// A commit that waits for the WAL flush and wakes the agent's followers (`NOTIFY … 'r:<agent>'`).
enum DurableAppend: AppendKind {
    static let extra = ""
    static let last = "(SELECT count(*) FROM (SELECT pg_notify($6, 'r:' || $1) FROM fence WHERE ok) n)"
    static let sql = AppendStatement<Self>.text()
}

/// A commit that does not wait for the flush (`synchronous_commit` off for its transaction).
enum BufferedAppend: AppendKind {
    static let extra = "\n    mode AS (SELECT set_config('synchronous_commit', 'off', true) AS value),"
    static let last = "(SELECT count(*) FROM mode)"
    static let sql = AppendStatement<Self>.text()
}

/// A durable commit of no records (`sync`). A transaction that writes nothing commits without
/// waiting for the flush, and the flush of what buffered commits left is what a sync is for;
/// the fence's row lock is a write (it gives the transaction an id and a commit record), so the
/// commit waits for the flush with nothing else to touch.
enum SyncAppend: AppendKind {
    static let extra = ""
    static let last = DurableAppend.last
    static let sql = AppendStatement<Self>.text()
}
