import Foundation
import KodeKernel
import KodeTestSupport
import Testing

/// DESIGN §4 "Torn tails": damage at the very end of the newest segment is cut back to the last
/// good record and reported; damage anywhere else refuses to open, naming file and offset.
@Suite struct TornTailTests {
    /// A log of five big records; returns the fixture, the intact bytes and where the last record starts.
    func fiveRecordLog(size: Int = 1500) async throws -> (StoreFixture, [UInt8], Int, [LogRecord]) {
        let fixture = try await StoreFixture()
        let records = bigRecords(from: 1, count: 5, size: size)
        try await fixture.append(records)
        let bytes = try fixture.segmentBytes()
        let offsets = recordOffsets(in: bytes)
        #expect(offsets.count == 5)
        return (fixture, bytes, offsets[4], records)
    }

    @Test func truncatingTheLastRecordAtEveryByteRepairsToThePreviousRecord() async throws {
        // A short last record keeps this to a few hundred opens (each repair syncs).
        let (fixture, bytes, lastStart, records) = try await fiveRecordLog(size: 120)
        for cut in lastStart..<bytes.count {
            try fixture.writeSegment(Array(bytes[0..<cut]))
            let history = try await fixture.makeStore().history(of: fixture.id)
            #expect(history.records == Array(records[0..<4]), "cut at \(cut)")
            // Cutting exactly at a record boundary leaves nothing to repair.
            #expect(history.repairs.isEmpty == (cut == lastStart), "cut at \(cut): \(history.repairs)")
            #expect(try fixture.segmentBytes().count == lastStart, "the file was not cut back (cut at \(cut))")
        }
    }

    @Test func openingAWriterRepairsAndAppendsAfterThePreviousRecord() async throws {
        let (fixture, bytes, lastStart, records) = try await fiveRecordLog()
        try fixture.writeSegment(Array(bytes[0..<(bytes.count - 3)]))
        let store = try fixture.makeStore()
        let writer = try await store.openWriter(fixture.id)
        let replacement = bigRecords(from: 5, count: 1, size: 50)
        try await writer.append(replacement, durability: .durable)
        try await writer.close()
        let history = try await store.history(of: fixture.id)
        #expect(history.records == Array(records[0..<4]) + replacement)
        #expect(history.repairs.count == 1)
        #expect(history.repairs.first?.contains("offset \(lastStart)") == true)
    }

    @Test func zeroingTheLastSectorRepairsToThePreviousRecord() async throws {
        let (fixture, bytes, lastStart, records) = try await fiveRecordLog()
        #expect(bytes.count - lastStart > 512, "the last record must span more than one sector")
        var damaged = bytes
        let sectorStart = (bytes.count - 1) / 512 * 512
        for i in max(sectorStart, lastStart)..<bytes.count { damaged[i] = 0 }
        try fixture.writeSegment(damaged)
        let history = try await fixture.makeStore().history(of: fixture.id)
        #expect(history.records == Array(records[0..<4]))
        #expect(history.repairs.count == 1)
        // A preallocated, zero-filled extension after the last record is also a torn tail.
        try await fixture.append(bigRecords(from: 5, count: 1, size: 20))
        try fixture.writeSegment(try fixture.segmentBytes() + [UInt8](repeating: 0, count: 4096))
        let again = try await fixture.makeStore().history(of: fixture.id)
        #expect(again.records.map(\.seq) == [1, 2, 3, 4, 5])
        #expect(again.repairs.count == 1)
    }

    @Test func flippingAnyBitInTheLastRecordRepairsToThePreviousRecord() async throws {
        let (fixture, bytes, lastStart, records) = try await fiveRecordLog()
        // Every bit of the header, and a spread of bits through the payload.
        let positions = Array(lastStart..<(lastStart + 25)) + Array(stride(from: lastStart + 25, to: bytes.count, by: 97)) + [bytes.count - 1]
        for position in positions {
            for bit in (position < lastStart + 9 ? 0..<8 : 3..<4) {
                var damaged = bytes
                damaged[position] ^= UInt8(1 << bit)
                try fixture.writeSegment(damaged)
                let history = try await fixture.makeStore().history(of: fixture.id)
                #expect(history.records == Array(records[0..<4]), "bit \(bit) of byte \(position)")
                #expect(history.repairs.count == 1, "bit \(bit) of byte \(position)")
            }
        }
    }

    @Test func aFlippedBitInAnEarlierRecordIsRefusedWithFileAndOffset() async throws {
        let (fixture, bytes, _, _) = try await fiveRecordLog()
        let offsets = recordOffsets(in: bytes)
        for (index, start) in offsets.dropLast().enumerated() {
            var damaged = bytes
            damaged[start + 100] ^= 0x10
            try fixture.writeSegment(damaged)
            let store = try fixture.makeStore()
            for attempt in 0..<3 {
                do {
                    switch attempt {
                    case 0: _ = try await store.history(of: fixture.id)
                    case 1: _ = try await store.openWriter(fixture.id)
                    default: _ = try await store.records(of: fixture.id, after: 0)
                    }
                    Issue.record("record \(index) damaged, attempt \(attempt) opened anyway")
                } catch let StoreError.corrupted(file, offset, detail) {
                    #expect(file == "agents/\(fixture.id)/wal/000001.log")
                    #expect(offset == UInt64(start), "record \(index): \(detail)")
                    #expect(StoreError.corrupted(file: file, offset: offset, detail: detail).description.contains("offset \(start)"))
                }
            }
            // Nothing was cut: the committed records after the damage are all still there.
            #expect(try fixture.segmentBytes().count == bytes.count)
            let report = try store.check(repair: true)
            #expect(!report.isHealthy)
            #expect(try fixture.segmentBytes().count == bytes.count, "check --repair must not cut corruption")
        }
    }

    @Test func aLiveWritersPartialRecordIsNotYetThereForReaders() async throws {
        let (fixture, bytes, lastStart, records) = try await fiveRecordLog()
        let store = try fixture.makeStore()
        let writer = try await store.openWriter(fixture.id)
        // Simulate a record half written by another process's writer.
        try fixture.writeSegment(bytes + Array(bytes[lastStart..<(lastStart + 40)]))
        let seen = try await store.records(of: fixture.id, after: 0)
        #expect(seen == records)
        let history = try await store.history(of: fixture.id)
        #expect(history.repairs.isEmpty, "a reader repaired while a writer held the lock")
        #expect(try fixture.segmentBytes().count == bytes.count + 40)
        try await writer.close()
    }

    @Test func storeCheckReportsAndRepairsOnlyTornTails() async throws {
        let (fixture, bytes, lastStart, _) = try await fiveRecordLog()
        try fixture.writeSegment(Array(bytes[0..<(bytes.count - 10)]))
        let store = try fixture.makeStore()
        let report = try store.check(repair: false)
        #expect(report.isHealthy)
        let agent = try #require(report.agents.first)
        #expect(agent.records == 4)
        #expect(agent.tornTail?.offset == UInt64(lastStart))
        #expect(agent.tornTail?.cut == false)
        #expect(try fixture.segmentBytes().count == bytes.count - 10)
        let repaired = try store.check(repair: true)
        #expect(repaired.agents.first?.tornTail?.cut == true)
        #expect(try fixture.segmentBytes().count == lastStart)
        #expect(try store.check(repair: false).agents.first?.tornTail == nil)
    }
}
