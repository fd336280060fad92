import Foundation

/// The rule every store enforces on append: seqs strictly increase across the whole lineage
/// (DESIGN §3), so a bookmark never points at two records.
enum SeqOrder {
    /// Throws unless every record's seq is greater than the one before it, starting after `after`.
    static func check(_ records: [LogRecord], after: UInt64, agent: AgentID) throws {
        var previous = after
        for record in records {
            guard record.seq > previous else {
                throw StoreError.io(
                    path: "agents/\(agent)",
                    message: "record seq \(record.seq) is not greater than the previous seq \(previous); seqs must strictly increase"
                )
            }
            previous = record.seq
        }
    }
}
