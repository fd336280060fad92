import PostgresNIO

/// The lineage records of agent `$1` after seq `$2`, in order, prepared (readers that tail an
/// agent run it at every poll). Read per lineage member (`LATERAL`, kept a subquery by `OFFSET 0`), so even the generic plan a
/// prepared statement falls back to is an index range scan, not a scan of the whole table. The first row, with a NULL seq, says the agent exists, so an
/// empty log is told from a missing agent.
struct RecordsStatement: PostgresPreparedStatement {
    static let sql = LineageSQL.chain + """
        SELECT NULL::bigint AS seq, NULL::smallint, NULL::bytea WHERE EXISTS (SELECT 1 FROM chain)
        UNION ALL
        SELECT r.seq, r.type, r.payload FROM chain c CROSS JOIN LATERAL (
            SELECT seq, type, payload FROM records
            WHERE agent_id = c.id AND seq > $2 AND (c.cap IS NULL OR seq <= c.cap)
            OFFSET 0
        ) r
        ORDER BY seq NULLS FIRST
        """

    typealias Row = (seq: Int64?, type: Int16?, payload: ByteBuffer?)

    var agent: String
    var after: Int64

    func makeBindings() throws -> PostgresBindings {
        var binds = PostgresBindings(capacity: 2)
        binds.append(agent)
        binds.append(after)
        return binds
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode((Int64?, Int16?, ByteBuffer?).self)
    }
}
