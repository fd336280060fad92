import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite struct FileStoreLayoutTests {
    @Test func segmentsRollOverAndReadBackInOrder() async throws {
        let fixture = try await StoreFixture()
        let store = try fixture.makeStore(segmentLimit: 8 * 1024)
        let writer = try await store.openWriter(fixture.id)
        let records = bigRecords(from: 1, count: 60, size: 400)
        for chunk in stride(from: 0, to: 60, by: 7) {
            try await writer.append(Array(records[chunk..<min(chunk + 7, 60)]), durability: chunk % 2 == 0 ? .durable : .buffered)
        }
        try await writer.close()
        let segments = try FileManager.default.contentsOfDirectory(atPath: fixture.segment().deletingLastPathComponent().path).sorted()
        #expect(segments.count > 2, "\(segments)")
        #expect(segments.first == "000001.log")
        for name in segments {
            let size = try FileManager.default.attributesOfItem(atPath: fixture.segment().deletingLastPathComponent().appendingPathComponent(name).path)[.size] as! Int
            #expect(size <= 8 * 1024, "\(name) is \(size) bytes")
        }
        let reopened = try fixture.makeStore(segmentLimit: 8 * 1024)
        #expect(try await reopened.records(of: fixture.id, after: 0) == records)
        #expect(try await reopened.records(of: fixture.id, after: 33) == Array(records[33...]))
        // A writer reopened on a rolled log continues in the newest segment.
        let again = try await reopened.openWriter(fixture.id)
        try await again.append(bigRecords(from: 61, count: 1, size: 10), durability: .durable)
        try await again.close()
        #expect(try await fixture.makeStore().history(of: fixture.id).records.map(\.seq) == Array(1...61))
        let report = try reopened.check(repair: false)
        #expect(report.agents.first?.records == 61)
        #expect(report.agents.first?.segments == segments.count)
    }

    @Test func openingReadsOnlyTheLogAfterTheNewestSnapshot() async throws {
        let fixture = try await StoreFixture()
        let writer = try await fixture.makeStore().openWriter(fixture.id)
        try await writer.append(bigRecords(from: 1, count: 10, size: 200), durability: .durable)
        try await writer.writeSnapshot(StoredSnapshot(seq: 10, data: Data("at ten".utf8)))
        try await writer.append(bigRecords(from: 11, count: 3, size: 200), durability: .durable)
        try await writer.close()
        // Damage a record the snapshot covers: opening never reads it, but a full check does.
        var bytes = try fixture.segmentBytes()
        bytes[recordOffsets(in: bytes)[2] + 50] ^= 0xFF
        try fixture.writeSegment(bytes)
        let store = try fixture.makeStore()
        let history = try await store.history(of: fixture.id)
        #expect(history.snapshot?.data == Data("at ten".utf8))
        #expect(history.records.map(\.seq) == [11, 12, 13])
        #expect(!(try store.check(repair: false).isHealthy))
        // A writer reopened after the snapshot appends in the right place.
        let again = try await store.openWriter(fixture.id)
        try await again.append(bigRecords(from: 14, count: 1, size: 10), durability: .durable)
        try await again.close()
        #expect(try await fixture.makeStore().history(of: fixture.id).records.map(\.seq) == [11, 12, 13, 14])
    }

    @Test func snapshotsArePrunedButForksKeepTheirs() async throws {
        let fixture = try await StoreFixture()
        let store = try fixture.makeStore()
        let writer = try await store.openWriter(fixture.id)
        for round in UInt64(0)..<5 {
            try await writer.append(bigRecords(from: round * 10 + 1, count: 10, size: 20), durability: .durable)
            try await writer.writeSnapshot(StoredSnapshot(seq: round * 10 + 10, data: Data("s\(round)".utf8)))
            if round == 1 {
                try await store.create(StoreConformance.sampleManifest(id: "child", parent: ParentRef(agentId: fixture.id, seq: 25)))
            }
        }
        try await writer.close()
        let names = try FileManager.default.contentsOfDirectory(atPath: fixture.agentDirectory.appendingPathComponent("snapshots").path).sorted()
        #expect(names == ["00000000000000000020.snap", "00000000000000000040.snap", "00000000000000000050.snap"])
        let child = try await store.history(of: "child")
        #expect(child.snapshot?.seq == 20)
        #expect(child.records.map(\.seq) == Array(21...25))
    }

    @Test func readersFollowALiveWriter() async throws {
        let fixture = try await StoreFixture()
        let writer = try await fixture.makeStore().openWriter(fixture.id)
        let total: UInt64 = 400
        let appending = Task {
            for seq in 1...total {
                try await writer.append(bigRecords(from: seq, count: 1, size: 30 + Int(seq % 50)), durability: seq % 10 == 0 ? .durable : .buffered)
            }
        }
        // Two followers in "other processes" (separate store objects), polling like `kode events --follow`.
        try await withThrowingTaskGroup(of: [UInt64].self) { group in
            for _ in 0..<2 {
                group.addTask {
                    let store = try fixture.makeStore()
                    var seen: [UInt64] = []
                    while seen.last != total {
                        let batch = try await store.records(of: fixture.id, after: seen.last ?? 0)
                        seen += batch.map(\.seq)
                        if batch.isEmpty { try await Task.sleep(for: .milliseconds(1)) }
                    }
                    return seen
                }
            }
            for try await seen in group { #expect(seen == Array(1...total)) }
        }
        try await appending.value
        try await writer.close()
    }

    @Test func newerFormatsAreRefused() async throws {
        let fixture = try await StoreFixture()
        try await fixture.append(bigRecords(from: 1, count: 2, size: 10))
        let original = try fixture.segmentBytes()
        // A segment header from a newer version.
        var newer = original
        newer[8] = 2
        try fixture.writeSegment(newer)
        await #expect(throws: StoreError.unsupportedVersion(file: "agents/\(fixture.id)/wal/000001.log", version: 2)) {
            try await fixture.makeStore().history(of: fixture.id)
        }
        // A record of a type this build does not know, with a valid checksum.
        var unknown = original
        let start = recordOffsets(in: unknown)[1]
        unknown[start + 8] = 7
        let length = Int(unknown[start]) | Int(unknown[start + 1]) << 8
        let crc = unknown.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[(start + 8)..<(start + 9 + length)])) }
        withUnsafeBytes(of: crc.littleEndian) { for i in 0..<4 { unknown[start + 4 + i] = $0[i] } }
        try fixture.writeSegment(unknown)
        do {
            _ = try await fixture.makeStore().records(of: fixture.id, after: 0)
            Issue.record("an unknown record type was accepted")
        } catch let StoreError.unsupportedVersion(file, _) {
            #expect(file.contains("000001.log"))
        }
        // A manifest from a newer version.
        try fixture.writeSegment(original)
        let manifestURL = fixture.agentDirectory.appendingPathComponent("manifest.json")
        let text = try String(contentsOf: manifestURL, encoding: .utf8)
        try text.replacingOccurrences(of: "\"formatVersion\" : 1", with: "\"formatVersion\" : 9").write(to: manifestURL, atomically: true, encoding: .utf8)
        await #expect(throws: StoreError.unsupportedVersion(file: "agents/\(fixture.id)/manifest.json", version: 9)) {
            try await fixture.makeStore().manifest(of: fixture.id)
        }
    }

    @Test func crc32cMatchesTheStandardCheckValues() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        // Continuing a checksum equals checksumming the concatenation.
        let data = Array("The quick brown fox jumps over the lazy dog".utf8)
        #expect(CRC32C.checksum(Array(data[20...]), continuing: CRC32C.checksum(Array(data[..<20]))) == CRC32C.checksum(data))
    }

    @Test func defaultRootHonoursKodeStore() {
        #expect(FileStore.defaultRoot(environment: ["KODE_STORE": "/srv/kode"]).path == "/srv/kode")
        #expect(FileStore.defaultRoot(environment: [:]).lastPathComponent == ".kode")
        #expect(FileStore.defaultRoot(environment: ["KODE_STORE": ""]).lastPathComponent == ".kode")
    }

    @Test func theManifestIsReadableJSONAndInvalidIDsAreRefused() async throws {
        let fixture = try await StoreFixture()
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: fixture.agentDirectory.appendingPathComponent("manifest.json"))) as? [String: Any]
        #expect(json?["id"] as? String == fixture.id)
        let store = try fixture.makeStore()
        await #expect(throws: StoreError.self) { try await store.create(StoreConformance.sampleManifest(id: "../escape")) }
        await #expect(throws: StoreError.notFound("../\(fixture.id)")) { try await store.manifest(of: "../\(fixture.id)") }
    }
}
