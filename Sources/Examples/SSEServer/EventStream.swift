import AsyncAlgorithms
import Foundation
import Hummingbird
import KodeKernel
import ServiceLifecycle

/// An agent's events as a Server-Sent Events body: one SSE event per envelope, its `id:` the
/// envelope's seq (the bookmark a client passes back as `since`, or that a browser's
/// EventSource sends as `Last-Event-ID` when it reconnects), `event:` the event type, `data:`
/// the envelope as one line of JSON. Stored events after the bookmark come first, then live
/// ones, with no gap and no duplicate (the kernel's subscription promises that).
///
/// A comment line goes out every `heartbeat` while nothing else does: it keeps proxies from
/// closing an idle stream, and writing it is how a client that went away is noticed (the
/// write fails), so its subscription is let go. The server shutting down ends every stream.
enum EventStream {
    private enum Frame: Sendable {
        case envelope(EventEnvelope)
        case heartbeat
    }

    static func body(for handle: any AgentHandle, since: UInt64?, heartbeat: Duration) async throws -> ResponseBody {
        let bookmark = since.map { Bookmark(seq: $0, timestamp: .distantPast) }
        // Subscribed before the response starts, so a bad request fails as a status, not mid-stream.
        let events = try await handle.subscribe(channels: Set(EventChannel.allCases), since: bookmark, kinds: nil)
        return ResponseBody { writer in
            // A channel hands over one frame at a time, so a slow client holds the pump back
            // instead of piling envelopes up here.
            let frames = AsyncChannel<Frame>()
            let pump = Task {
                for await envelope in events { await frames.send(.envelope(envelope)) }
                frames.finish()
            }
            let beat = Task {
                while !Task.isCancelled {
                    try await Task.sleep(for: heartbeat)
                    await frames.send(.heartbeat)
                }
            }
            defer {
                pump.cancel()
                beat.cancel()
                events.cancel()
                Task { await handle.release(.leave) }
            }
            try await withGracefulShutdownHandler {
                let encoder = EventEnvelope.lineEncoder()
                for await frame in frames {
                    switch frame {
                    case .envelope(let envelope): try await writer.write(ByteBuffer(bytes: try Self.encode(envelope, with: encoder)))
                    case .heartbeat: try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                    }
                }
            } onGracefulShutdown: {
                events.cancel()
            }
            try await writer.finish(nil)
        }
    }

    /// One SSE event. The JSON has no raw newlines (the encoder escapes them in strings), so
    /// one `data:` line carries it. An envelope that is never stored (seq 0) has no bookmark
    /// and gets no `id:`, which leaves the client's last event id as it was.
    static func encode(_ envelope: EventEnvelope, with encoder: JSONEncoder) throws -> Data {
        var frame = Data()
        if envelope.seq != EventEnvelope.liveOnlySeq { frame.append(contentsOf: Array("id: \(envelope.seq)\n".utf8)) }
        frame.append(contentsOf: Array("event: \(envelope.event.type.rawValue)\ndata: ".utf8))
        frame.append(try encoder.encode(envelope))
        frame.append(contentsOf: Array("\n\n".utf8))
        return frame
    }
}
