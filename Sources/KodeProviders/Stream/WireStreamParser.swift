import KodeKernel
import NIOCore

/// Bytes in, normalized events out: an `SSEDecoder` feeding one vendor's `ModelStreamDecoder`.
public struct WireStreamParser<Decoder: ModelStreamDecoder>: Sendable {
    private var sse = SSEDecoder()
    private var sseEvents: [SSEEvent] = []
    /// The vendor decoder (its `isComplete` says whether the end marker arrived).
    public private(set) var decoder: Decoder

    /// A parser at the start of a reply.
    public init(decoder: Decoder) {
        self.decoder = decoder
        sseEvents.reserveCapacity(16)
    }

    /// Feeds the next network chunk and appends the normalized events it completes.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, into output: inout [ModelStreamEvent]) throws(ModelError) {
        sse.decode(bytes, into: &sseEvents)
        try drain(into: &output)
    }

    /// Feeds the next network chunk given as an array.
    public mutating func feed(_ bytes: [UInt8], into output: inout [ModelStreamEvent]) throws(ModelError) {
        sse.decode(bytes, into: &sseEvents)
        try drain(into: &output)
    }

    /// Feeds the next network chunk given as a NIO buffer.
    public mutating func feed(_ buffer: ByteBuffer, into output: inout [ModelStreamEvent]) throws(ModelError) {
        sse.decode(buffer, into: &sseEvents)
        try drain(into: &output)
    }

    /// The connection ended: flushes the last event and checks that the reply was complete.
    public mutating func finish(into output: inout [ModelStreamEvent]) throws(ModelError) {
        sse.finish(into: &sseEvents)
        try drain(into: &output)
        try decoder.finish(into: &output)
    }

    /// Whether the vendor's end marker was seen.
    public var isComplete: Bool { decoder.isComplete }

    private mutating func drain(into output: inout [ModelStreamEvent]) throws(ModelError) {
        guard !sseEvents.isEmpty else { return }
        defer { sseEvents.removeAll(keepingCapacity: true) }
        for event in sseEvents where !decoder.isComplete {
            try decoder.decode(event, into: &output)
        }
    }
}
