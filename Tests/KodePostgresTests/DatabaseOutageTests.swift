import Foundation
import KodeKernel
@testable import KodePostgres
import KodeTestSupport
import Testing

/// A database that goes away and comes back: clear errors while it is gone, never a hang, and
/// the same store object works again once it returns.
@Suite struct DatabaseOutageTests {
    @Test func aRestartMidWriteIsAClearErrorAndTheStoreRecovers() async throws {
        try await PrivatePostgres.with() { server in
            let store = try await PostgresStore.open(try PostgresURL(server.url), timeout: .seconds(5))
            let manifest = StoreConformance.sampleManifest()
            try await store.create(manifest)
            let writer = try await store.openLogWriter(manifest.id)
            try await writer.append(StoreConformance.sampleRecords(from: 1, count: 3), durability: .durable)
            try await server.stop()
            do {
                try await writer.append(StoreConformance.sampleRecords(from: 4, count: 1), durability: .durable)
                Issue.record("an append with the database down succeeded")
            } catch let error as StoreError {
                let text = error.description
                #expect(text.contains("appending to \(manifest.id)") && text.contains("127.0.0.1"), "\(text)")
            }
            // The writer stays read-only: whether the last commit happened is unknown to it.
            await #expect(throws: StoreError.self) { try await writer.append(StoreConformance.sampleRecords(from: 4, count: 1), durability: .durable) }
            try? await writer.close()
            try await server.restart()
            // Reopening starts from what the database holds.
            let again = try await store.openLogWriter(manifest.id)
            #expect(try await store.records(of: manifest.id, after: 0).map(\.seq) == [1, 2, 3])
            try await again.append(StoreConformance.sampleRecords(from: 4, count: 1), durability: .durable)
            try await again.close()
            #expect(try await store.records(of: manifest.id, after: 0).map(\.seq) == [1, 2, 3, 4])
            await store.shutdown()
        }
    }

    /// A server that stops answering mid-commit (its backend stopped with SIGSTOP): the commit
    /// fails at its deadline, saying so, instead of waiting; once the backend runs again the
    /// agent goes on from what was stored.
    @Test func aCommitTheServerDoesNotAnswerFailsAtItsDeadline() async throws {
        try await PrivatePostgres.with() { server in
            let store = try await PostgresStore.open(try PostgresURL(server.url), timeout: .seconds(2))
            let manifest = StoreConformance.sampleManifest()
            try await store.create(manifest)
            let writer = try await store.openLogWriter(manifest.id)
            try await writer.append(StoreConformance.sampleRecords(from: 1, count: 1), durability: .durable)
            let lane = try #require(try await TestPostgres.strings("SELECT pid::text FROM pg_stat_activity WHERE application_name = 'kode-commit kode'", on: server.url).first.flatMap { $0.flatMap { Int32($0) } })
            kill(lane, SIGSTOP)
            do {
                try await writer.append(StoreConformance.sampleRecords(from: 2, count: 1), durability: .durable)
                Issue.record("a commit to a stopped backend succeeded")
            } catch let error as StoreError {
                #expect(error.description.contains("did not answer within 2 s"), "\(error)")
            }
            kill(lane, SIGCONT)
            try? await writer.close()
            // The stopped backend may still run the commit it had been sent, then ends.
            try await eventually("the stopped backend to end") {
                try await TestPostgres.strings("SELECT count(*)::text FROM pg_stat_activity WHERE pid = \(lane)", on: server.url) == ["0"]
            }
            let again = try await store.openLogWriter(manifest.id)
            let stored = try await store.records(of: manifest.id, after: 0).map(\.seq)
            #expect(stored == [1] || stored == [1, 2], "\(stored)")
            let next = (stored.last ?? 0) + 1
            try await again.append(StoreConformance.sampleRecords(from: next, count: 1), durability: .durable)
            #expect(try await store.records(of: manifest.id, after: 0).map(\.seq) == stored + [next])
            try await again.close()
            await store.shutdown()
        }
    }
}

/// `sslmode=require` really encrypts: against a server that offers TLS, the store's sessions
/// are TLS sessions (the server says so in `pg_stat_ssl`).
@Suite struct TLSTests {
    @Test func sslmodeRequireConnectsOverTLS() async throws {
        try await PrivatePostgres.with(tls: true) { server in
            let store = try await PostgresStore.open(try PostgresURL(server.url + "?sslmode=require"), timeout: .seconds(10))
            let rows = try await store.database.rows("checking TLS", "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            #expect(try rows.first?.decode(Bool.self) == true, "the pooled session is not encrypted")
            let manifest = StoreConformance.sampleManifest()
            try await store.create(manifest)
            let writer = try await store.openLogWriter(manifest.id)
            try await writer.append(StoreConformance.sampleRecords(from: 1, count: 2), durability: .durable)
            try await writer.close()
            await store.shutdown()
        }
    }
}
