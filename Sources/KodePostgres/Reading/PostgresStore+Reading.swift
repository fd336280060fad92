import Foundation
import KodeKernel
import PostgresNIO

extension PostgresStore {
    /// The newest snapshot usable by the agent (its own, or an ancestor's at or before the fork)
    /// and the lineage records after it: one prepared statement, one round trip, whatever the
    /// history's length.
    public func history(of id: AgentID) async throws -> AgentHistory {
        let client = database.client
        let statement = HistoryStatement(agent: id)
        let rows = try await database.run("reading agent \(id)") {
            var rows: [HistoryStatement.Row] = []
            for try await row in try await client.execute(statement) { rows.append(row) }
            return rows
        }
        guard let head = rows.first, head.part == 0, let manifestBytes = head.manifest else { throw StoreError.notFound(id) }
        let manifest = try ManifestCoding.decode(manifestBytes, place: "\(url) agent \(id)")
        var snapshot: StoredSnapshot? = nil
        if let seq = head.seq, let data = head.data {
            let source = "\(url) snapshot \(id)@\(seq)"
            snapshot = StoredSnapshot(seq: UInt64(seq), data: try Self.snapshotBytes(data, source: source), source: source)
        }
        let decoder = JSONDecoder()
        var records: [LogRecord] = []
        records.reserveCapacity(rows.count - 1)
        for row in rows.dropFirst() {
            guard let seq = row.seq, let type = row.type, let payload = row.data else {
                throw StoreError.corrupted(file: "\(url) agent \(id)", offset: 0, detail: "a record row without seq, type or payload")
            }
            let encoded = EncodedRecord(seq: UInt64(seq), type: UInt8(truncatingIfNeeded: type), payload: Array(payload.readableBytesView))
            records.append(try decode(encoded, agent: id, decoder: decoder))
        }
        return AgentHistory(manifest: manifest, snapshot: snapshot, records: records)
    }

    /// A stored snapshot's bytes as the agent wrote them: decompressed (`SnapshotCompression`),
    /// or as they are when an earlier build stored them whole.
    static func snapshotBytes(_ stored: ByteBuffer, source: String) throws -> Data {
        try stored.withUnsafeReadableBytes { bytes in
            guard SnapshotCompression.isCompressed(bytes) else { return Data(bytes) }
            do throws(SnapshotCompression.Failure) {
                return try SnapshotCompression.decompress(bytes)
            } catch {
                throw StoreError.corrupted(file: source, offset: UInt64(error.offset), detail: error.reason)
            }
        }
    }

    /// Lineage records after `after`, in order, in one query.
    public func records(of id: AgentID, after: UInt64) async throws -> [LogRecord] {
        let decoder = JSONDecoder()
        return try await encodedRecords(of: id, after: after).map { try decode($0, agent: id, decoder: decoder) }
    }

    /// The stored bytes of the lineage's records after `after` (for copying and benchmarks).
    package func encodedRecords(of id: AgentID, after: UInt64) async throws -> [EncodedRecord] {
        let client = database.client
        let statement = RecordsStatement(agent: id, after: Int64(clamping: after))
        return try await database.run("reading records of \(id)") {
            var result: [EncodedRecord] = []
            var exists = false
            for try await (seq, type, payload) in try await client.execute(statement) {
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
