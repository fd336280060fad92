/// The walk from agent `$1` up its parents, for the prepared reading statements: each
/// ancestor's id and the highest seq of its own records the agent sees (`cap`, NULL for the agent
/// itself); a fork of a fork caps every ancestor by the smallest fork seq below it. Table names
/// are unqualified, like `AppendStatement`'s: the pool connects with `search_path` set to the
/// store's schema. (`Tables.lineage` is the same walk, qualified, for unprepared queries.)
enum LineageSQL {
    static let chain = """
        WITH RECURSIVE chain (id, parent_id, parent_seq, cap, depth) AS (
            SELECT id, parent_id, parent_seq, NULL::bigint, 0 FROM agents WHERE id = $1
            UNION ALL
            SELECT a.id, a.parent_id, a.parent_seq, LEAST(c.cap, c.parent_seq), c.depth + 1
            FROM chain c JOIN agents a ON a.id = c.parent_id WHERE c.depth < 10000
        )
        """
}
