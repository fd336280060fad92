/// The store's table names, qualified by its schema (a plain identifier, checked by `PostgresURL`).
struct Tables: Sendable {
    let schema: String
    /// The schema as a quoted identifier, to qualify the store's functions.
    let schemaQuoted: String
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
        schemaQuoted = quoted
        agents = quoted + ".agents"
        records = quoted + ".records"
        snapshots = quoted + ".snapshots"
        workers = quoted + ".workers"
        commands = quoted + ".commands"
        channel = String(("kode_" + schema).prefix(63))
    }

    /// The SQL expression for an agent's last stored seq (`kode_head`: its newest record, else
    /// its fork point).
    func head(_ idExpression: String) -> String {
        "\(schemaQuoted).kode_head(\(idExpression))"
    }

    /// The SQL expression for an agent's advisory-lock key: unique per schema and agent (a 64-bit
    /// hash; a collision would only make two agents share one owner, never two owners share one).
    func lockKey(_ idParameter: String) -> String {
        "hashtextextended('kode/\(schema)/' || \(idParameter), 0)"
    }
}
