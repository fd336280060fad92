import Foundation
@testable import KodeKernel
import KodeTestSupport
import Testing

/// `store check`'s streaming verifier must agree with the reader whatever its buffer size,
/// including records that straddle buffer ends or exceed the buffer.
@Suite struct SegmentVerifierTests {
    @Test(arguments: [64, 700, 1500, 4096])
    func agreesWithTheScannerAcrossBufferBoundaries(bufferSize: Int) async throws {
        let fixture = try await StoreFixture()
        var records: [LogRecord] = []
        for seq in UInt64(1)...40 { records += bigRecords(from: seq, count: 1, size: 20 + Int(seq * 97 % 3000)) }
        try await fixture.append(records)
        let io = PosixFileIO()
        let fd = try io.open(fixture.segment().path, mode: .read)
        defer { io.close(fd) }
        var lastSeq: UInt64 = 0
        let verified = try SegmentVerifier(io: io, bufferSize: bufferSize).verify(fd: fd, size: try io.size(fd), lastSeq: &lastSeq)
        #expect(verified == 40)
        #expect(lastSeq == 40)

        var damaged = try fixture.segmentBytes()
        damaged[recordOffsets(in: damaged)[20] + 30] ^= 1
        try fixture.writeSegment(damaged)
        var again: UInt64 = 0
        #expect(try SegmentVerifier(io: io, bufferSize: bufferSize).verify(fd: fd, size: try io.size(fd), lastSeq: &again) == nil)
        try fixture.writeSegment(Array(damaged[0..<(damaged.count - 5)]))
        #expect(try SegmentVerifier(io: io, bufferSize: bufferSize).verify(fd: fd, size: try io.size(fd), lastSeq: &again) == nil)
    }
}
