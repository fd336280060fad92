import NIOCore
import PostgresNIO

/// Creating an agent, or a fork (a row pointing at its parent): prepared, because a fork is this
/// one statement and parsing and planning it with its foreign-key check at every call took about
/// a quarter of the fork (docs/PERFORMANCE.md, "Versus LangGraph").
struct CreateAgentStatement: PostgresPreparedStatement {
    static let sql = """
        INSERT INTO agents (id, manifest, created, parent_id, parent_seq)
        VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING RETURNING 1
        """

    typealias Row = Int32

    var id: String
    var manifest: ByteBuffer
    var created: Double
    var parentID: String?
    var parentSeq: Int64?

    func makeBindings() throws -> PostgresBindings {
        var binds = PostgresBindings(capacity: 5)
        binds.append(id)
        binds.append(manifest)
        binds.append(created)
        binds.append(parentID)
        binds.append(parentSeq)
        return binds
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Int32.self) }
}
