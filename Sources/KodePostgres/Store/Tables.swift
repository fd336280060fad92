/// The store's table names, qualified by its schema (a plain identifier, checked by `PostgresURL`).
struct Tables: Sendable {
    let schema: String
    let agents: String
    let records: String
    let snapshots: String
    let workers: String
    let commands: String
    /// The LISTEN/NOTIFY channel of this schema: payload `c:<agent>` for a new command,
    /// `r:<agent>` for new records. Only a wake-up hint; readers poll as well.
    let channel: String

    init(schema: String) {
        self.schema = schema
        let quoted = "\"\(schema)\""
        agents = quoted + ".agents"
        records = quoted + ".records"
        snapshots = quoted + ".snapshots"
        workers = quoted + ".workers"
        commands = quoted + ".commands"
        channel = String(("kode_" + schema).prefix(63))
    }

    /// The SQL expression for an agent's advisory-lock key: unique per schema and agent (a 64-bit
    /// hash; a collision would only make two agents share one owner, never two owners share one).
    func lockKey(_ idParameter: String) -> String {
        "hashtextextended('kode/\(schema)/' || \(idParameter), 0)"
    }

    /// A recursive walk from agent `$1` up its parents: each ancestor's id and the highest seq of
    /// its own records the agent sees (`cap`, NULL for the agent itself). A fork of a fork caps
    /// every ancestor by the smallest fork seq below it.
    var lineage: String {
        """
        WITH RECURSIVE chain (id, parent_id, parent_seq, cap, depth) AS (
            SELECT id, parent_id, parent_seq, NULL::bigint, 0 FROM \(agents) WHERE id = $1
            UNION ALL
            SELECT a.id, a.parent_id, a.parent_seq, LEAST(c.cap, c.parent_seq), c.depth + 1
            FROM chain c JOIN \(agents) a ON a.id = c.parent_id WHERE c.depth < 10000
        )
        """
    }
}
