import Foundation
@testable import KodeKernel
import KodeTestSupport
import Testing

/// Streaming chunks are encoded by hand for speed; they must decode to exactly what was written.
@Suite struct RecordCodecTests {
    static let awkward = [
        "", "plain", "quote \" and backslash \\ and slash /", "new\nline\r\ttab", "\u{0}\u{1}\u{1F}\u{7F}",
        "emoji 👩‍💻 and ❤️, wide 漢字", "line separator \u{2028} paragraph \u{2029}", "\\u0041 is not an escape here",
    ]

    @Test(arguments: awkward)
    func handEncodedChunksRoundTrip(_ text: String) throws {
        let events: [AgentEvent] = [
            .textChunk(ChunkDelta(messageId: "msg_\(text)", delta: text)),
            .thinkChunk(ChunkDelta(messageId: "m", delta: text)),
            .textChunkStart(ChunkBoundary(messageId: text)),
            .textChunkEnd(ChunkBoundary(messageId: text)),
            .thinkChunkStart(ChunkBoundary(messageId: text)),
            .thinkChunkEnd(ChunkBoundary(messageId: text)),
        ]
        for event in events {
            var bytes: [UInt8] = []
            #expect(ChunkBodyEncoder.append(.event(event), to: &bytes))
            #expect(try JSONDecoder().decode(RecordBody.self, from: Data(bytes)) == .event(event))
            let record = LogRecord(seq: 7, timestamp: Date(timeIntervalSinceReferenceDate: 123.456789), body: .event(event))
            var framed: [UInt8] = []
            try RecordCodec.frame([record], into: &framed)
            let decoded = try framed.withUnsafeBytes { try RecordCodec.decode(payload: UnsafeRawBufferPointer(rebasing: $0[9...])) }
            #expect(decoded == record)
        }
    }

    @Test func otherRecordsUseTheGenericEncoder() throws {
        var bytes: [UInt8] = []
        #expect(!ChunkBodyEncoder.append(.inputQueued(QueuedInput(id: "i", text: "t")), to: &bytes))
        #expect(!ChunkBodyEncoder.append(.message(Message(role: .user, content: [.text("hi")])), to: &bytes))
        #expect(bytes.isEmpty)
    }
}
