import Foundation
import KodeKernel
import Testing

@Suite("Event bus")
struct EventBusTests {
    static func envelope(_ seq: UInt64) -> EventEnvelope {
        EventEnvelope(seq: seq, timestamp: Date(), agentId: "agt_test", event: .textChunk(ChunkDelta(messageId: "m", delta: "\(seq)")))
    }

    @Test("a slow subscriber catches up from the store and loses nothing")
    func overflowCatchesUp() async throws {
        let stored = StoredEnvelopes()
        let bus = EventBus(capacity: 8) { after in await stored.after(after) }
        let stream = bus.subscribe(filter: .all, since: nil)
        // Publish far more than the buffer holds before the consumer reads anything.
        for seq in UInt64(1)...500 {
            let e = Self.envelope(seq)
            await stored.append(e)
            bus.publish(e)
        }
        var seen: [UInt64] = []
        for await e in stream {
            seen.append(e.seq)
            if seen.count == 500 { break }
        }
        #expect(seen == Array(1...500))
    }

    @Test("publishing never waits for consumers")
    func publishDoesNotBlock() async throws {
        let bus = EventBus(capacity: 4) { _ in [] }
        let stream = bus.subscribe(filter: .all, since: nil)
        let started = ContinuousClock.now
        for seq in UInt64(1)...100_000 { bus.publish(Self.envelope(seq)) }
        #expect(ContinuousClock.now - started < .seconds(5))
        stream.cancel()
        #expect(bus.subscriberCount == 0)
    }

    @Test("envelopes encode flat with the documented keys")
    func envelopeJSON() throws {
        let e = EventEnvelope(seq: 7, timestamp: Date(timeIntervalSince1970: 0), agentId: "agt_x", event: .toolEnd(ToolEndEvent(callId: "c", name: "fs_read", state: .completed, isError: false, durationMs: 1.5, outputPreview: "ok")))
        let text = String(decoding: try EventEnvelope.lineEncoder().encode(e), as: UTF8.self)
        #expect(text.hasPrefix(#"{"agentId":"agt_x","callId":"c","channel":"progress""#))
        #expect(text.contains(#""seq":7"#))
        #expect(text.contains(#""timestamp":"1970-01-01T00:00:00.000Z""#))
        #expect(text.contains(#""type":"tool:end""#))
        let back = try EventEnvelope.lineDecoder().decode(EventEnvelope.self, from: Data(text.utf8))
        #expect(back == e)
    }
}

actor StoredEnvelopes {
    var all: [EventEnvelope] = []
    func append(_ e: EventEnvelope) { all.append(e) }
    func after(_ seq: UInt64) -> [EventEnvelope] { all.filter { $0.seq > seq } }
}
