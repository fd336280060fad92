import Foundation
import KodeKernel
import PostgresNIO

extension PostgresStore {
    /// The newest snapshot usable by the agent (its own, or an ancestor's at or before the fork)
    /// and the lineage records after it: two queries whatever the history's length.
    public func history(of id: AgentID) async throws -> AgentHistory {
        var binds = PostgresBindings()
        binds.append(id)
        let sql = """
            \(tables.lineage)
            SELECT a.manifest, s.seq, s.data FROM \(tables.agents) a
            LEFT JOIN LATERAL (
                SELECT sn.seq, sn.data FROM chain c JOIN \(tables.snapshots) sn
                  ON sn.agent_id = c.id AND (c.cap IS NULL OR sn.seq <= c.cap)
                ORDER BY sn.seq DESC LIMIT 1
            ) s ON true
            WHERE a.id = $1
            """
        let rows = try await database.rows("reading agent \(id)", PostgresQuery(unsafeSQL: sql, binds: binds))
        guard let row = rows.first else { throw StoreError.notFound(id) }
        let (manifestBytes, snapshotSeq, snapshotData) = try row.decode((ByteBuffer, Int64?, ByteBuffer?).self)
        let manifest = try ManifestCoding.decode(manifestBytes, place: "\(url) agent \(id)")
        var snapshot: StoredSnapshot? = nil
        if let snapshotSeq, let snapshotData {
            snapshot = StoredSnapshot(seq: UInt64(snapshotSeq), data: Data(snapshotData.readableBytesView), source: "\(url) snapshot \(id)@\(snapshotSeq)")
        }
        let records = try await records(of: id, after: snapshot?.seq ?? 0)
        return AgentHistory(manifest: manifest, snapshot: snapshot, records: records)
    }

    /// Lineage records after `after`, in order, in one query.
    public func records(of id: AgentID, after: UInt64) async throws -> [LogRecord] {
        let decoder = JSONDecoder()
        return try await encodedRecords(of: id, after: after).map { try decode($0, agent: id, decoder: decoder) }
    }

    /// The stored bytes of the lineage's records after `after` (for copying and benchmarks).
    package func encodedRecords(of id: AgentID, after: UInt64) async throws -> [EncodedRecord] {
        var binds = PostgresBindings()
        binds.append(id)
        binds.append(Int64(clamping: after))
        // The first row says the agent exists (its seq is NULL), so an empty log is told from a missing agent.
        let sql = """
            \(tables.lineage)
            SELECT NULL::bigint AS seq, NULL::smallint, NULL::bytea WHERE EXISTS (SELECT 1 FROM chain)
            UNION ALL
            SELECT r.seq, r.type, r.payload FROM chain c JOIN \(tables.records) r
              ON r.agent_id = c.id AND r.seq > $2 AND (c.cap IS NULL OR r.seq <= c.cap)
            ORDER BY seq NULLS FIRST
            """
        let database = self.database
        let query = PostgresQuery(unsafeSQL: sql, binds: binds)
        return try await database.run("reading records of \(id)") {
            var result: [EncodedRecord] = []
            var exists = false
            for try await (seq, type, payload) in try await database.client.query(query).decode((Int64?, Int16?, ByteBuffer?).self) {
                guard let seq, let type, let payload else {
                    exists = true
                    continue
                }
                result.append(EncodedRecord(seq: UInt64(seq), type: UInt8(truncatingIfNeeded: type), payload: Array(payload.readableBytesView)))
            }
            guard exists else { throw StoreError.notFound(id) }
            return result
        }
    }

    func decode(_ record: EncodedRecord, agent: AgentID, decoder: JSONDecoder) throws -> LogRecord {
        let decoded = try record.payload.withUnsafeBytes {
            try RecordBytes.decode(type: record.type, payload: $0, decoder: decoder, where: "\(url) record \(agent)@\(record.seq)")
        }
        guard decoded.seq == record.seq else {
            throw StoreError.corrupted(file: "\(url) record \(agent)@\(record.seq)", offset: 0, detail: "the payload says seq \(decoded.seq)")
        }
        return decoded
    }
}
