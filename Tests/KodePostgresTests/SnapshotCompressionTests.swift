import Foundation
import KodeKernel
import KodeTestSupport
import Testing
@testable import KodePostgres

/// The PostgreSQL store's snapshot compression (`SnapshotCompression`, docs/POSTGRES.md).
@Suite struct SnapshotCompressionTests {
    static func roundTrip(_ bytes: [UInt8]) throws -> (compressed: [UInt8], restored: [UInt8]) {
        let compressed = bytes.withUnsafeBytes { SnapshotCompression.compress($0) }
        let restored = try compressed.withUnsafeBytes { try SnapshotCompression.decompress($0) }
        return (compressed, Array(restored))
    }

    /// Bytes of every shape: empty, shorter than a match, runs (overlapping matches at offsets
    /// under and over 8), text with repeats far apart, noise that does not compress, and matches
    /// longer than the 15 + 255 that needs more than one length byte.
    @Test func everyShapeOfInputComesBackExactly() throws {
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<5_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let text = Array(String(repeating: "kode bench text ", count: 40).utf8)
        let shapes: [[UInt8]] = [
            [], [7], Array("abcdefgh".utf8), [UInt8](repeating: 0, count: 10_000), Array("ab".utf8) + [UInt8](repeating: 9, count: 700),
            Array("0123456789abcdef".utf8) + Array(repeating: Array("0123456789".utf8), count: 90).flatMap { $0 },
            text, noise, noise + text + noise + text, Array(repeating: noise.prefix(300), count: 400).flatMap { $0 },
        ]
        for bytes in shapes {
            let (compressed, restored) = try Self.roundTrip(bytes)
            #expect(restored == bytes, "\(bytes.count) bytes")
            #expect(compressed.starts(with: SnapshotCompression.magic))
        }
        #expect(try Self.roundTrip([UInt8](repeating: 0, count: 10_000)).compressed.count < 100)
        #expect(try Self.roundTrip(noise).compressed.count <= noise.count + noise.count / 200 + 16)
    }

    /// A tool loop's state, as the store compresses it, comes back byte for byte, in well under
    /// half the bytes.
    @Test func anAgentsStateShrinksAndComesBackExactly() throws {
        var state = AgentState(id: "agt_compress")
        for step in 0..<300 {
            state.messages.append(Message(role: .assistant, content: [.toolUse(id: "toolu_\(step)", name: "noop", input: ["n": .int(step)])]))
            state.messages.append(Message(role: .user, content: [.toolResult(toolUseId: "toolu_\(step)", content: String(repeating: "kode bench text ", count: 10), isError: false)]))
        }
        let bytes = Array(try state.encoded())
        let (compressed, restored) = try Self.roundTrip(bytes)
        #expect(restored == bytes)
        #expect(compressed.count * 2 < bytes.count, "\(bytes.count) bytes compressed to \(compressed.count)")
    }

    /// Damage fails with an offset, never a trap or a read out of bounds: every truncation, and
    /// every byte flipped in a compressed text.
    @Test func damagedInputIsAnErrorNeverATrap() throws {
        let bytes = Array((String(repeating: "a tool result, ", count: 30) + "and the end of it").utf8)
        let compressed = bytes.withUnsafeBytes { SnapshotCompression.compress($0) }
        for length in SnapshotCompression.headerSize..<compressed.count {
            #expect(throws: SnapshotCompression.Failure.self, "cut to \(length)") {
                _ = try Array(compressed.prefix(length)).withUnsafeBytes { try SnapshotCompression.decompress($0) }
            }
        }
        var failures = 0
        for index in SnapshotCompression.headerSize..<compressed.count {
            for flip: UInt8 in [0x01, 0x80, 0xFF] {
                var damaged = compressed
                damaged[index] ^= flip
                do {
                    _ = try damaged.withUnsafeBytes { try SnapshotCompression.decompress($0) }
                } catch {
                    failures += 1
                }
            }
        }
        #expect(failures > 0)
        var huge = compressed
        huge[4] = 0xFF; huge[5] = 0xFF; huge[6] = 0xFF; huge[7] = 0x7F
        #expect(throws: SnapshotCompression.Failure.self) { _ = try huge.withUnsafeBytes { try SnapshotCompression.decompress($0) } }
    }

    /// The store keeps snapshots compressed, hands them back as written, and still reads a
    /// snapshot an earlier build stored whole; a damaged one is refused naming it.
    @Test func snapshotsAreStoredCompressedAndOlderOnesStillRead() async throws {
        try await TestPostgres.withSchema { url in
            let store = try await PostgresStore.open(try PostgresURL(url))
            let manifest = StoreConformance.sampleManifest()
            try await store.create(manifest)
            let writer = try await store.openLogWriter(manifest.id)
            try await writer.append(StoreConformance.sampleRecords(from: 1, count: 4), durability: .durable)
            let state = Data(String(repeating: "a state that repeats itself ", count: 200).utf8)
            try await writer.writeSnapshot(StoredSnapshot(seq: 4, data: state))
            #expect(try await store.history(of: manifest.id).snapshot?.data == state)
            let schema = try #require(URLComponents(string: url)?.queryItems?.first { $0.name == "schema" }?.value)
            let server = try TestPostgres.serverURL()
            let stored = try await TestPostgres.strings("SELECT encode(substring(data from 1 for 4), 'escape') || ' ' || octet_length(data) FROM \(schema).snapshots", on: server)
            let parts = try #require(stored.first??.split(separator: " "))
            #expect(parts.first == "KLZ1")
            #expect(Int(parts.last ?? "") ?? .max < state.count / 4)
            // The server keeps them as they came (schema version 4): compressing them again
            // would cost a decompression on every read.
            let storage = try await TestPostgres.strings(
                "SELECT attstorage::text FROM pg_attribute WHERE attrelid = '\(schema).snapshots'::regclass AND attname = 'data'", on: server)
            #expect(storage == ["e"])
            // A value the server's default storage would compress (pglz takes it to a few KB),
            // stored in the table: it stays as it came.
            try await TestPostgres.execute(
                "INSERT INTO \(schema).snapshots (agent_id, seq, data) VALUES ('agt_storage', 1, convert_to(repeat('a state that repeats itself ', 4000), 'UTF8'))", on: server)
            let compression = try await TestPostgres.strings(
                "SELECT coalesce(pg_column_compression(data), 'none') || ' ' || pg_column_size(data) FROM \(schema).snapshots WHERE agent_id = 'agt_storage'", on: server)
            #expect(compression == ["none \(4000 * 28)"])
            try await TestPostgres.execute("DELETE FROM \(schema).snapshots WHERE agent_id = 'agt_storage'", on: server)
            // As an earlier build stored it: the state's bytes as they are.
            try await TestPostgres.execute("UPDATE \(schema).snapshots SET data = convert_to('KODESTAT whole', 'UTF8')", on: server)
            #expect(try await store.history(of: manifest.id).snapshot?.data == Data("KODESTAT whole".utf8))
            try await TestPostgres.execute("UPDATE \(schema).snapshots SET data = '\\x4b4c5a31ff00000001'::bytea", on: server)
            await #expect {
                _ = try await store.history(of: manifest.id)
            } throws: { error in
                guard case StoreError.corrupted(let file, _, _) = error else { return false }
                return file.contains("snapshot \(manifest.id)@4")
            }
            try await writer.close()
            await store.shutdown()
        }
    }
}
