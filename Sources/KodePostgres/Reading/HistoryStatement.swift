import PostgresNIO

/// What opening an agent reads, in one prepared statement and one round trip: the first row is
/// the agent (its manifest and the newest snapshot it can use — its own, or an ancestor's at or
/// before the fork), the rows after it the lineage records after that snapshot, in order. No row
/// at all means no such agent.
///
/// Prepared because planning the recursive walk twice (once for the snapshot, once for the
/// records) cost more than executing it: about 0.6 ms each, against 0.15 ms of execution. The
/// records are read per lineage member (`LATERAL`, kept a subquery by `OFFSET 0`), so the plan
/// is an index range scan of each member's records whatever the server estimates: the lower
/// bound comes from the snapshot found in the same statement, unknown when planning, and a
/// plain join of `records` with the walk was planned as a scan of the whole table (15 ms beside
/// a 100k-record agent, against 0.3 ms).
struct HistoryStatement: PostgresPreparedStatement {
    static let sql = LineageSQL.chain + """
        , newest AS (
            SELECT sn.seq, sn.data FROM chain c JOIN snapshots sn
              ON sn.agent_id = c.id AND (c.cap IS NULL OR sn.seq <= c.cap)
            ORDER BY sn.seq DESC LIMIT 1
        )
        SELECT 0::smallint AS part, a.manifest, s.seq, NULL::smallint, s.data
          FROM agents a LEFT JOIN newest s ON true WHERE a.id = $1
        UNION ALL
        SELECT 1::smallint, NULL::bytea, r.seq, r.type, r.payload FROM chain c CROSS JOIN LATERAL (
            SELECT seq, type, payload FROM records
            WHERE agent_id = c.id AND seq > COALESCE((SELECT seq FROM newest), 0) AND (c.cap IS NULL OR seq <= c.cap)
            OFFSET 0
        ) r
        ORDER BY part, seq
        """

    /// One row: which part it is (0 the agent, 1 a record), then the agent's manifest, the
    /// snapshot's or record's seq, the record's type and the snapshot's or record's bytes.
    typealias Row = (part: Int16, manifest: ByteBuffer?, seq: Int64?, type: Int16?, data: ByteBuffer?)

    var agent: String

    func makeBindings() throws -> PostgresBindings {
        var binds = PostgresBindings(capacity: 1)
        binds.append(agent)
        return binds
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode((Int16, ByteBuffer?, Int64?, Int16?, ByteBuffer?).self)
    }
}
