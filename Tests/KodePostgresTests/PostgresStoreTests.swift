import Foundation
import KodeKernel
import KodeTestSupport
import Synchronization
import Testing
@testable import KodePostgres

/// What the PostgreSQL store promises beyond the conformance suite.
@Suite struct PostgresStoreTests {
    @Test func appendsThatArriveTogetherShareOneCommit() async throws {
        try await TestPostgres.withSchema { url in
            let store = try await PostgresStore.open(try PostgresURL(url))
            let manifest = StoreConformance.sampleManifest()
            try await store.create(manifest)
            let writer = try await store.openLogWriter(manifest.id)
            let records = StoreConformance.sampleRecords(from: 1, count: 100)
            let queued = try records.map { try writer.enqueue([$0], durability: .durable) }
            for append in queued { try await append.wait() }
            #expect(writer.commitCount == 1, "100 queued appends took \(writer.commitCount) commits")
            #expect(try await store.records(of: manifest.id, after: 0) == records)
            try await writer.close()
            await store.shutdown()
        }
    }

    /// A leader commits its own round and returns; appends queued meanwhile are led by the
    /// oldest of them, so no append waits for rounds that keep coming after it.
    @Test func aLeaderReturnsAfterItsOwnRoundAndHandsTheLeadOn() async throws {
        try await TestPostgres.withSchema { url in
            let store = try await PostgresStore.open(try PostgresURL(url))
            let manifest = StoreConformance.sampleManifest()
            try await store.create(manifest)
            let writer = try await store.openLogWriter(manifest.id)
            let records = StoreConformance.sampleRecords(from: 1, count: 3)
            let later = Mutex<[PostgresLogWriter.QueuedAppend]>([])
            // While the first round is being committed, two more appends arrive.
            store.commitObserver.withLock {
                $0 = { number, done in
                    guard number == 1, !done else { return }
                    later.withLock { $0 = [try! writer.enqueue([records[1]], durability: .durable), try! writer.enqueue([records[2]], durability: .durable)] }
                }
            }
            let first = try writer.enqueue([records[0]], durability: .durable)
            try await first.wait()
            #expect(writer.commitCount == 1, "the first append waited for \(writer.commitCount) rounds")
            let queued = later.withLock { $0 }
            try #require(queued.count == 2)
            for append in queued { try await append.wait() }
            #expect(writer.commitCount == 2, "the two later appends took \(writer.commitCount - 1) rounds")
            #expect(try await store.records(of: manifest.id, after: 0) == records)
            store.commitObserver.withLock { $0 = nil }
            try await writer.close()
            await store.shutdown()
        }
    }

    /// Opening and tailing read an agent's records by index range even in the generic plan a
    /// prepared statement falls back to after five runs, beside a large table of other agents'
    /// records (a plain join was planned as a scan of the whole table: 15 ms instead of 0.3).
    @Test func theReadingStatementsUseTheIndexInTheirGenericPlans() async throws {
        try await TestPostgres.withSchema { url in
            let store = try await PostgresStore.open(try PostgresURL(url))
            let manifest = StoreConformance.sampleManifest()
            try await store.create(manifest)
            let writer = try await store.openLogWriter(manifest.id)
            try await writer.append(StoreConformance.sampleRecords(from: 1, count: 10), durability: .durable)
            try await writer.close()
            await store.shutdown()
            let schema = try #require(URLComponents(string: url)?.queryItems?.first { $0.name == "schema" }?.value)
            let server = try TestPostgres.serverURL()
            try await TestPostgres.execute("INSERT INTO \(schema).records SELECT 'other', s, 2, '\\x00'::bytea FROM generate_series(1, 50000) s", on: server)
            try await TestPostgres.execute("ANALYZE \(schema).records", on: server)
            for (name, parameters, sql, arguments) in [
                ("h", "text", HistoryStatement.sql, "'\(manifest.id)'"),
                ("r", "text, bigint", RecordsStatement.sql, "'\(manifest.id)', 5"),
            ] {
                let plan = try await TestPostgres.strings([
                    "SET search_path = \(schema)", "PREPARE \(name)(\(parameters)) AS \(sql)",
                    "SET plan_cache_mode = force_generic_plan", "EXPLAIN EXECUTE \(name)(\(arguments))",
                ], on: server).compactMap { $0 }
                #expect(plan.contains { $0.contains("records_pkey") }, "\(name): \(plan.joined(separator: "\n"))")
                #expect(!plan.contains { $0.contains("Seq Scan on records") }, "\(name): \(plan.joined(separator: "\n"))")
            }
        }
    }

    @Test func recordBytesAreTheFileStoresBytes() async throws {
        try await TestPostgres.withSchema { url in
            let store = try await PostgresStore.open(try PostgresURL(url))
            let manifest = StoreConformance.sampleManifest()
            try await store.create(manifest)
            let writer = try await store.openLogWriter(manifest.id)
            let records = StoreConformance.sampleRecords(from: 1, count: 12)
            try await writer.append(records, durability: .durable)
            try await writer.close()
            let stored = try await store.encodedRecords(of: manifest.id, after: 0)
            #expect(stored == (try RecordBytes.encode(records)))
            await store.shutdown()
        }
    }

    @Test func passwordsNeverShow() throws {
        let url = try PostgresURL("postgres://kode:s3cr%2Fet@db.example:6543/agents?sslmode=require")
        #expect(url.password == "s3cr/et")
        #expect(url.description == "postgres://kode:***@db.example:6543/agents?sslmode=require")
        #expect(PostgresURL.redact("postgres://kode:s3cret@db/x") == "postgres://kode:***@db/x")
        do {
            _ = try PostgresURL("postgres://kode:s3cret@db/x?sslmode=sometimes")
            Issue.record("a bad sslmode parsed")
        } catch let error as PostgresURLError {
            #expect(!error.description.contains("s3cret") && error.description.contains("sometimes"), "\(error)")
        }
    }

    @Test func anUnreachableServerIsAClearErrorNotAHang() async throws {
        // A port nobody listens on: connection refused, reported with the URL (password masked).
        let port = try FreePort.loopback()
        do {
            _ = try await PostgresStore.open(try PostgresURL("postgres://kode:hunter2@127.0.0.1:\(port)/kode"), timeout: .seconds(5))
            Issue.record("opened a store on a closed port")
        } catch let error as StoreError {
            let text = error.description
            #expect(text.contains("127.0.0.1:\(port)") && !text.contains("hunter2"), "\(text)")
        }
    }
}
