import Foundation
import KodeKernel
import KodeTestSupport
import Testing

/// The newest segment is zero-filled ahead of its last record while a writer is live. Zeros
/// must read as the end of the log, never hide or invent a record, be cut when the writer
/// closes, and be cut (and reported) when the writer stopped without closing.
@Suite struct PreallocationTests {
    static let chunk: UInt64 = 64 << 10

    func size(_ url: URL) throws -> UInt64 {
        (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? UInt64) ?? 0
    }

    /// Where the records of a segment end (the framing alone; stops at the first zero length).
    func logicalEnd(_ bytes: [UInt8]) -> Int {
        var position = 24
        while position + 9 <= bytes.count {
            let length = Int(bytes[position]) | Int(bytes[position + 1]) << 8 | Int(bytes[position + 2]) << 16 | Int(bytes[position + 3]) << 24
            guard length > 0 else { break }
            position += 9 + length
        }
        return position
    }

    @Test func aLiveWritersZeroFilledSpaceIsTheEndOfTheLogNotDamage() async throws {
        let fixture = try await StoreFixture()
        let writer = try await fixture.makeStore().openWriter(fixture.id)
        let records = bigRecords(from: 1, count: 3, size: 200)
        // A writer's first write only appends (a short-lived writer would just cut the space).
        try await writer.append([records[0]], durability: .durable)
        #expect(try fixture.segmentBytes().count == logicalEnd(try fixture.segmentBytes()))
        try await writer.append(Array(records[1...]), durability: .durable)
        let bytes = try fixture.segmentBytes()
        #expect(UInt64(bytes.count) == Self.chunk, "the segment was not zero-filled ahead")
        let end = logicalEnd(bytes)
        #expect(bytes[end...].allSatisfy { $0 == 0 })

        // Another process's view: every record, no repair, nothing cut, check is clean.
        let reader = try fixture.makeStore()
        let history = try await reader.history(of: fixture.id)
        #expect(history.records == records)
        #expect(history.repairs.isEmpty)
        let report = try reader.check(repair: true)
        #expect(report.isHealthy && report.agents.first?.tornTail == nil, "\(report)")
        #expect(report.agents.first?.records == 3)
        #expect(UInt64(try fixture.segmentBytes().count) == Self.chunk, "a reader cut a live writer's space")

        // Appends overwrite the zeros; the next chunk is added when they run out.
        let more = bigRecords(from: 4, count: 60, size: 1200)
        for record in more { try await writer.append([record], durability: .durable) }
        let grown = try fixture.segmentBytes()
        #expect(UInt64(grown.count) % Self.chunk == 0 && grown.count > bytes.count)
        #expect(try await reader.records(of: fixture.id, after: 0) == records + more)

        // Closing leaves the file exactly as long as its records.
        try await writer.close()
        let closed = try fixture.segmentBytes()
        #expect(closed.count == logicalEnd(closed))
        #expect(try await fixture.makeStore().history(of: fixture.id).repairs.isEmpty)
    }

    @Test func zerosLeftByAWriterThatDidNotCloseAreReportedAndCut() async throws {
        let fixture = try await StoreFixture()
        let disk = CrashSimulatingFileIO()
        let writer = try await fixture.makeStore(io: disk).openWriter(fixture.id)
        let records = bigRecords(from: 1, count: 4, size: 300)
        try await writer.append([records[0]], durability: .durable)
        try await writer.append(Array(records[1...]), durability: .durable)
        disk.crash()
        let end = logicalEnd(try fixture.segmentBytes())
        #expect(UInt64(try fixture.segmentBytes().count) == Self.chunk, "the zero-filled space was synced with the records")

        // check: a writer that is gone left it, so it is reported like a torn tail…
        let report = try fixture.makeStore().check(repair: false)
        let torn = try #require(report.agents.first?.tornTail)
        #expect(report.isHealthy && torn.offset == UInt64(end) && torn.detail.contains("preallocated") && !torn.cut)
        // …and the next open cuts it and says so.
        let history = try await fixture.makeStore().history(of: fixture.id)
        #expect(history.records == records)
        #expect(history.repairs.count == 1 && history.repairs[0].contains("unused preallocated space"), "\(history.repairs)")
        #expect(try fixture.segmentBytes().count == end)
        withExtendedLifetime(writer) {}
    }

    @Test func aTornRecordInsideZeroFilledSpaceIsATornTail() async throws {
        let fixture = try await StoreFixture()
        let records = bigRecords(from: 1, count: 3, size: 400)
        try await fixture.append(records)
        let bytes = try fixture.segmentBytes()
        let last = recordOffsets(in: bytes)[2]
        // The third record half written into preallocated space: its first part, then zeros.
        var damaged = Array(bytes[0..<(last + 100)])
        damaged += [UInt8](repeating: 0, count: Int(Self.chunk) - damaged.count)
        try fixture.writeSegment(damaged)
        let torn = try #require(try fixture.makeStore().check(repair: false).agents.first?.tornTail)
        #expect(torn.offset == UInt64(last) && !torn.detail.contains("preallocated"))
        let history = try await fixture.makeStore().history(of: fixture.id)
        #expect(history.records == Array(records[0..<2]))
        #expect(history.repairs.count == 1 && history.repairs[0].contains("torn tail"))
        #expect(try fixture.segmentBytes().count == last)
    }

    @Test func onlyTheNewestSegmentEverEndsInZeros() async throws {
        let fixture = try await StoreFixture(segmentLimit: 8 << 10)
        let store = try fixture.makeStore(segmentLimit: 8 << 10)
        let writer = try await store.openWriter(fixture.id)
        let records = bigRecords(from: 1, count: 30, size: 1000)
        for record in records { try await writer.append([record], durability: .durable) }
        let segments = try FileManager.default.contentsOfDirectory(atPath: fixture.segment().deletingLastPathComponent().path).count
        #expect(segments > 2)
        for number in 1..<segments {
            let bytes = try fixture.segmentBytes(number)
            #expect(bytes.count == logicalEnd(bytes), "segment \(number) kept zeros after it was finished")
        }
        #expect(try await fixture.makeStore().records(of: fixture.id, after: 0) == records)
        try await writer.close()

        // Zeros after the last record of an older segment are not a torn tail: refuse to open.
        try fixture.writeSegment(try fixture.segmentBytes(1) + [UInt8](repeating: 0, count: 512), 1)
        await #expect {
            _ = try await fixture.makeStore().history(of: fixture.id)
        } throws: { error in
            guard case StoreError.corrupted(let file, _, _)? = error as? StoreError else { return false }
            return file.hasSuffix("000001.log")
        }
    }

    /// Budgets that stop the zero-fill itself, and one that lets it through but not the record.
    @Test(arguments: [100, 30_000, 60_000])
    func aFullDiskWhileExtendingLeavesTheFileAsItWas(budget: Int) async throws {
        let fixture = try await StoreFixture()
        let disk = CrashSimulatingFileIO()
        let writer = try await fixture.makeStore(io: disk).openWriter(fixture.id)
        for seq in UInt64(1)...2 { try await writer.append(bigRecords(from: seq, count: 1, size: 300), durability: .durable) }
        let before = try fixture.segmentBytes()
        #expect(UInt64(before.count) == Self.chunk)
        // A record of about 81 KB: past the zero-filled space, whose extension is about 46 KB.
        disk.writeBudget = budget
        await #expect(throws: StoreError.self) {
            try await writer.append(bigRecords(from: 3, count: 1, size: 90_000), durability: .durable)
        }
        #expect(try fixture.segmentBytes() == before, "the failed append changed the file (budget \(budget))")
        disk.writeBudget = nil
        try? await writer.close()
        let history = try await fixture.makeStore().history(of: fixture.id)
        #expect(history.records.map(\.seq) == [1, 2])
        #expect(history.repairs.isEmpty)
    }

    @Test func withoutPreallocationTheFileEndsAtItsLastRecord() async throws {
        let fixture = try await StoreFixture()
        let store = try FileStore(root: fixture.directory.url, preallocation: 0)
        let writer = try await store.openWriter(fixture.id)
        for seq in UInt64(1)...3 { try await writer.append(bigRecords(from: seq, count: 1, size: 200), durability: .durable) }
        let bytes = try fixture.segmentBytes()
        #expect(bytes.count == logicalEnd(bytes))
        try await writer.close()
    }

    /// Crashes at random points while appends overwrite zero-filled space: a disk may keep any
    /// prefix of the unsynced writes. Durable records always survive and the log always opens.
    @Test func randomCrashesInsideZeroFilledSpaceNeverLoseDurableRecords() async throws {
        for seed in UInt64(1)...60 {
            let fixture = try await StoreFixture()
            let disk = CrashSimulatingFileIO()
            let writer = try await fixture.makeStore(io: disk).openWriter(fixture.id)
            var random = SeededRandom(seed: seed)
            var seq: UInt64 = 0
            var durableSeq: UInt64 = 0
            for _ in 0..<(3 + Int(random.next() % 12)) {
                let count = 1 + Int(random.next() % 3)
                let durable = random.next() % 3 != 0
                try await writer.append(bigRecords(from: seq + 1, count: count, size: 100 + Int(random.next() % 3000)), durability: durable ? .durable : .buffered)
                seq += UInt64(count)
                if durable { durableSeq = seq }
            }
            disk.crash(unsynced: .keepRandomPrefix(seed: seed))
            let store = try fixture.makeStore()
            let seqs = try await store.history(of: fixture.id).records.map(\.seq)
            #expect(seqs == Array(1...max(1, UInt64(seqs.count))).prefix(seqs.count).map { $0 }, "seed \(seed): \(seqs)")
            #expect((seqs.last ?? 0) >= durableSeq, "seed \(seed): lost durable records")
            #expect(try store.check(repair: false).agents.first?.tornTail == nil, "seed \(seed): opening left a tail to repair")
            let bytes = try fixture.segmentBytes()
            #expect(bytes.count == logicalEnd(bytes), "seed \(seed): zeros survived the open")
            withExtendedLifetime(writer) {}
        }
    }
}
