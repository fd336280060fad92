import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Store check")
struct StoreCheckTests {
    @Test("a bad checksum mid-log reports the last good seq and the snapshots that are there")
    func corruptionKeepsTheCounts() async throws {
        let fixture = try await StoreFixture()
        let writer = try await fixture.makeStore().openWriter(fixture.id)
        try await writer.append(bigRecords(from: 1, count: 10, size: 200), durability: .durable)
        try await writer.writeSnapshot(StoredSnapshot(seq: 10, data: Data("at ten".utf8)))
        try await writer.close()

        var bytes = try fixture.segmentBytes()
        // The checksum of record 8 (framing: length u32, checksum u32, type u8); valid records
        // follow, so this is corruption, not a torn tail.
        bytes[recordOffsets(in: bytes)[7] + 4] ^= 0xFF
        try fixture.writeSegment(bytes)

        let report = try #require(try fixture.makeStore().check(repair: false).agents.first)
        #expect(report.error?.description.hasPrefix("corrupted log") == true, "\(String(describing: report.error))")
        #expect(report.lastSeq == 7)
        #expect(report.records == 7)
        #expect(report.snapshots == 1)
    }
}
