import Foundation
import PostgresNIO

/// The append commit (see `PostgresLogWriter.commit`) as a prepared statement: parsed and
/// planned once per pooled connection instead of at every commit, which is most of the client's
/// cost when a single durable append costs a fraction of a millisecond on the server. The table
/// names are unqualified: the store's pool connects with `search_path` set to its schema.
struct AppendStatement: PostgresPreparedStatement {
    static let sql = text()

    /// The statement's text; `marking` adds common table expressions that may refer to `fence`
    /// (the inbox's command marks, `PostgresLogWriter.markingQuery`) and bind parameters from `$10`.
    static func text(marking: String = "") -> String {
        """
        WITH fence AS (
            UPDATE agents SET last_seq = $3 WHERE id = $1 AND epoch = $2 AND last_seq = $4 RETURNING id
        ), mode AS (
            SELECT set_config('synchronous_commit', $5, true) AS value
        ), inserted AS (
            INSERT INTO records (agent_id, seq, type, payload)
            SELECT fence.id, r.seq, r.type, r.payload FROM fence, unnest($6::bigint[], $7::smallint[], $8::bytea[]) AS r (seq, type, payload)
            RETURNING 1
        )\(marking)
        SELECT (SELECT count(*) FROM fence), (SELECT count(*) FROM inserted), (SELECT value FROM mode),
            (SELECT count(*) FROM (SELECT pg_notify($9, 'r:' || $1) FROM fence WHERE $5 = 'on') n)
        """
    }

    typealias Row = (fenced: Int64, inserted: Int64)

    var agent: String
    var epoch: Int64
    var last: Int64
    var after: Int64
    var durable: Bool
    var seqs: [Int64]
    var types: [Int16]
    var payloads: [ByteBuffer]
    var channel: String

    func makeBindings() throws -> PostgresBindings {
        var binds = PostgresBindings(capacity: 9)
        binds.append(agent)
        binds.append(epoch)
        binds.append(last)
        binds.append(after)
        binds.append(durable ? "on" : "off")
        binds.append(seqs)
        binds.append(types)
        binds.append(payloads)
        binds.append(channel)
        return binds
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let (fenced, inserted, _, _) = try row.decode((Int64, Int64, String, Int64).self)
        return (fenced, inserted)
    }
}
