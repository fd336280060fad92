import KodeKernel
import NIOCore

/// Bytes in, normalized events out: an `SSEDecoder` feeding one vendor's `ModelStreamDecoder`.
package struct WireStreamParser<Decoder: ModelStreamDecoder>: Sendable {
    private var sse = SSEDecoder()
    private var sseEvents = SSEEventBatch()
    /// The vendor decoder (its `isComplete` says whether the end marker arrived).
    package private(set) var decoder: Decoder

    /// A parser at the start of a reply.
    package init(decoder: Decoder) {
        self.decoder = decoder
        sseEvents.reserve()
    }

    /// Feeds the next network chunk and appends the normalized events it completes.
    package mutating func feed(_ bytes: UnsafeRawBufferPointer, into output: inout [ModelStreamEvent]) throws(ModelError) {
        sse.decode(bytes, to: &sseEvents)
        try drain(into: &output)
    }

    /// Feeds the next network chunk given as an array.
    package mutating func feed(_ bytes: [UInt8], into output: inout [ModelStreamEvent]) throws(ModelError) {
        try bytes.withModelBytes { (raw) throws(ModelError) in try feed(raw, into: &output) }
    }

    /// Feeds the next network chunk given as a NIO buffer.
    package mutating func feed(_ buffer: ByteBuffer, into output: inout [ModelStreamEvent]) throws(ModelError) {
        try buffer.withUnsafeReadableBytes { (raw) throws(ModelError) in try feed(raw, into: &output) }
    }

    /// The connection ended: flushes the last event and checks that the reply was complete.
    package mutating func finish(into output: inout [ModelStreamEvent]) throws(ModelError) {
        sse.finish(to: &sseEvents)
        try drain(into: &output)
        try decoder.finish(into: &output)
    }

    /// Whether the vendor's end marker was seen.
    package var isComplete: Bool { decoder.isComplete }

    private mutating func drain(into output: inout [ModelStreamEvent]) throws(ModelError) {
        guard !sseEvents.isEmpty else { return }
        // The batch is moved out while the decoder runs, so reading its bytes and mutating the
        // decoder are not overlapping accesses to `self`.
        var batch = SSEEventBatch()
        swap(&batch, &sseEvents)
        defer {
            batch.removeAll()
            swap(&batch, &sseEvents)
        }
        try batch.bytes.withModelBytes { (all) throws(ModelError) in
            for entry in batch.entries where !decoder.isComplete {
                let data = UnsafeRawBufferPointer(rebasing: all[entry.start..<entry.start + entry.count])
                try decoder.decode(event: entry.name, data: data, into: &output)
            }
        }
    }
}
