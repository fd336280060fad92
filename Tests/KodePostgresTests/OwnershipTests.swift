import Foundation
import KodeKernel
import KodePostgres
import KodeTestSupport
import Testing

/// One owner per agent: the advisory lock refuses a second live owner, the fencing epoch refuses
/// a stale one.
@Suite struct OwnershipTests {
    @Test func aSecondOwnerIsRefusedNamingTheHolder() async throws {
        try await TestPostgres.withSchema { url in
            let first = try await PostgresStore.open(try PostgresURL(url), workerName: "first-worker")
            let second = try await PostgresStore.open(try PostgresURL(url), workerName: "second-worker")
            let manifest = StoreConformance.sampleManifest()
            try await first.create(manifest)
            let writer = try await first.openLogWriter(manifest.id)
            for attempt in ["openWriter", "takeOver"] {
                do {
                    if attempt == "openWriter" { _ = try await second.openWriter(manifest.id) } else { _ = try await second.takeOver(manifest.id) }
                    Issue.record("\(attempt) of an owned agent succeeded")
                } catch StoreError.locked(let id, let holder) {
                    #expect(id == manifest.id)
                    #expect(holder.contains("first-worker") && holder.contains("pid \(getpid())"), "holder: \(holder)")
                }
            }
            // Deleting an owned agent is refused too, naming the owner.
            await #expect(throws: StoreError.self) { try await second.delete(manifest.id) }
            try await writer.close()
            let next = try await second.openLogWriter(manifest.id)
            #expect(next.epoch == writer.epoch + 1, "taking ownership bumps the epoch")
            try await next.close()
            await first.shutdown()
            await second.shutdown()
        }
    }

    @Test func anOwnerWhoseSessionEndedIsReplacedAndItsWriterFenced() async throws {
        try await TestPostgres.withSchema { url in
            let old = try await PostgresStore.open(try PostgresURL(url))
            let manifest = StoreConformance.sampleManifest()
            try await old.create(manifest)
            let stale = try await old.openLogWriter(manifest.id)
            try await stale.append(StoreConformance.sampleRecords(from: 1, count: 2), durability: .durable)
            // Its owner session ends (as when a partitioned machine's connection is cut).
            await old.shutdown()
            let fresh = try await PostgresStore.open(try PostgresURL(url))
            let writer = try await fresh.openLogWriter(manifest.id)
            try await writer.append(StoreConformance.sampleRecords(from: 3, count: 1), durability: .durable)
            do {
                try await stale.append(StoreConformance.sampleRecords(from: 3, count: 1), durability: .durable)
                Issue.record("a writer whose owner session ended appended")
            } catch StoreError.readOnly(_, let reason) {
                #expect(reason.contains("lost ownership") || reason.contains("shut down"), "reason: \(reason)")
            }
            #expect(try await fresh.records(of: manifest.id, after: 0).map(\.seq) == [1, 2, 3])
            try await writer.close()
            await fresh.shutdown()
        }
    }

    /// SIGSTOP the owner; another takes over once its lease runs out and writes; SIGCONT the old
    /// owner: it writes nothing more and reports that it lost ownership.
    @Test func aStoppedOwnerLosesTheAgentAndWritesNothingAfterTakeover() async throws {
        try await TestPostgres.withSchema { url in
            let store = try await PostgresStore.open(try PostgresURL(url))
            let manifest = StoreConformance.sampleManifest()
            try await store.create(manifest)
            let owner = try RunningProcess(
                executable: try KodeCLI.binary(named: "kode-bench"),
                arguments: ["postgres-owner", "--url", url, "--agent", manifest.id, "--every", "5", "--lease-ms", "600"],
                stdin: nil, environment: [:])
            try await owner.waitForOutput("appended 3")
            owner.signal(SIGSTOP)
            // Blocks until the stopped owner's lease runs out, then cuts its session off.
            let writer = try await store.takeOver(manifest.id, patience: .seconds(60))
            let takenAt = try await store.records(of: manifest.id, after: 0).last?.seq ?? 0
            let mine = (takenAt + 1...takenAt + 3).map { LogRecord(seq: $0, timestamp: Date(), body: .inputQueued(QueuedInput(id: "taker-\($0)", text: "taker"))) }
            try await writer.append(mine, durability: .durable)
            owner.signal(SIGCONT)
            let result = try await owner.finish(timeout: .seconds(60))
            #expect(result.status == 3, "the old owner exited with \(result.status): \(result.stdout) \(result.stderr)")
            #expect(result.stdout.contains("lost ownership"), "output: \(result.stdout)")
            let stored = try await store.records(of: manifest.id, after: takenAt)
            #expect(stored == mine, "after the takeover only the new owner's records are stored: \(stored.map(\.seq))")
            let appended = result.lines.compactMap { $0.hasPrefix("appended ") ? UInt64($0.dropFirst(9)) : nil }
            #expect(appended.allSatisfy { $0 <= takenAt }, "the old owner acknowledged \(appended.max() ?? 0) past the takeover at \(takenAt)")
            try await writer.close()
            await store.shutdown()
        }
    }

    @Test func aNewerSchemaIsRefusedNamingItsVersion() async throws {
        try await TestPostgres.withSchema { url in
            let store = try await PostgresStore.open(try PostgresURL(url))
            #expect(try await store.schemaVersion() == PostgresStore.currentSchemaVersion)
            await store.shutdown()
            let schema = String(url.split(separator: "=").last!)
            try await TestPostgres.execute("UPDATE \(schema).schema_version SET version = 99", on: try TestPostgres.serverURL())
            do {
                _ = try await PostgresStore.open(try PostgresURL(url))
                Issue.record("a schema of version 99 was opened")
            } catch StoreError.unsupportedVersion(let place, let version) {
                #expect(version == 99)
                #expect(place.contains(schema) && place.contains("99"), "\(place)")
            }
        }
    }

    /// An append of the old owner that passed the fence but has not committed holds the gate:
    /// the takeover waits for it and starts after its record, and the old epoch's fence is shut.
    @Test func aTakeoverWaitsForAnAppendInFlightAndStartsAfterIt() async throws {
        try await TestPostgres.withSchema { url in
            let schema = String(url.split(separator: "=").last!)
            let old = try await PostgresStore.open(try PostgresURL(url), workerName: "stalled-worker")
            let manifest = StoreConformance.sampleManifest()
            try await old.create(manifest)
            let stale = try await old.openLogWriter(manifest.id)
            try await stale.append(StoreConformance.sampleRecords(from: 1, count: 2), durability: .durable)
            let third = try RecordBytes.encode(StoreConformance.sampleRecords(from: 3, count: 1))[0]
            let hex = third.payload.map { String(format: "%02x", $0) }.joined()
            let fresh = try await PostgresStore.open(try PostgresURL(url), workerName: "next-worker")
            try await PostgresSession.with(try TestPostgres.serverURL()) { inFlight in
                // The old owner's next commit, held open between its fence and its commit.
                try await inFlight.strings("BEGIN")
                #expect(try await inFlight.strings("SELECT \(schema).kode_fence('\(manifest.id)', \(stale.epoch))::text") == ["true"])
                try await inFlight.strings("INSERT INTO \(schema).records VALUES ('\(manifest.id)', 3, \(third.type), '\\x\(hex)')")
                // Its owner session ends, so the agent's lock is free while the commit is not done.
                await old.shutdown()
                let takeover = Task { try await fresh.openLogWriter(manifest.id) }
                try await eventually("the new owner waiting at the gate") {
                    try await TestPostgres.strings("SELECT count(*)::text FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", on: try TestPostgres.serverURL()) != ["0"]
                }
                try await inFlight.strings("COMMIT")
                let writer = try await takeover.value
                #expect(writer.epoch == stale.epoch + 1)
                try await writer.append(StoreConformance.sampleRecords(from: 4, count: 1), durability: .durable)
                #expect(try await fresh.records(of: manifest.id, after: 0).map(\.seq) == [1, 2, 3, 4])
                #expect(try await inFlight.strings("SELECT \(schema).kode_fence('\(manifest.id)', \(stale.epoch))::text") == ["false"])
                try await writer.close()
            }
            await fresh.shutdown()
        }
    }

    /// A schema of version 2 (the fence moved `agents.last_seq`) is migrated on open; its
    /// agents go on where their records end.
    @Test func aVersionTwoSchemaIsMigratedAndItsAgentsGoOn() async throws {
        try await TestPostgres.withSchema { url in
            let schema = String(url.split(separator: "=").last!)
            let records = StoreConformance.sampleRecords(from: 1, count: 3)
            let manifest = StoreConformance.sampleManifest()
            let json = try ManifestCoding.encode(manifest).map { String(format: "%02x", $0) }.joined()
            var statements = StoreSchema.statements(to: 2, schema: schema)
            statements.append("CREATE TABLE \(schema).schema_version (version integer NOT NULL)")
            statements.append("INSERT INTO \(schema).schema_version VALUES (2)")
            statements.append("INSERT INTO \(schema).agents (id, manifest, created, last_seq, epoch) VALUES ('\(manifest.id)', '\\x\(json)', 0, 3, 4)")
            for record in try RecordBytes.encode(records) {
                let hex = record.payload.map { String(format: "%02x", $0) }.joined()
                statements.append("INSERT INTO \(schema).records VALUES ('\(manifest.id)', \(record.seq), \(record.type), '\\x\(hex)')")
            }
            _ = try await TestPostgres.strings(statements, on: try TestPostgres.serverURL())
            let store = try await PostgresStore.open(try PostgresURL(url))
            #expect(try await store.schemaVersion() == PostgresStore.currentSchemaVersion)
            #expect(try await store.records(of: manifest.id, after: 0) == records)
            let writer = try await store.openLogWriter(manifest.id)
            #expect(writer.epoch == 5)
            try await writer.append(StoreConformance.sampleRecords(from: 4, count: 1), durability: .durable)
            #expect(try await store.records(of: manifest.id, after: 0).map(\.seq) == [1, 2, 3, 4])
            try await writer.close()
            await store.shutdown()
        }
    }

    /// The fence needs READ COMMITTED (a fresh snapshot after the gate): a database whose default
    /// is REPEATABLE READ is overridden on the store's connections, and the store's functions
    /// refuse to run under it rather than fence wrongly.
    @Test func aStricterDefaultIsolationIsOverriddenAndRefusedByTheFence() async throws {
        try await PrivatePostgres.with() { server in
            try await TestPostgres.execute("ALTER DATABASE postgres SET default_transaction_isolation = 'repeatable read'", on: server.url)
            let store = try await PostgresStore.open(try PostgresURL(server.url))
            let manifest = StoreConformance.sampleManifest()
            try await store.create(manifest)
            let writer = try await store.openLogWriter(manifest.id)
            try await writer.append(StoreConformance.sampleRecords(from: 1, count: 2), durability: .durable)
            #expect(try await store.records(of: manifest.id, after: 0).map(\.seq) == [1, 2])
            let refusal = try await PostgresSession.with(server.url) { session -> String in
                do {
                    try await session.strings("SELECT kode.kode_fence('\(manifest.id)', \(writer.epoch))::text")
                    return "ran"
                } catch {
                    return String(reflecting: error)
                }
            }
            #expect(refusal.contains("needs READ COMMITTED"), "\(refusal)")
            try await writer.close()
            await store.shutdown()
        }
    }
}
