import KodeKernel

/// Turns one vendor's server-sent events into the kernel's normalized `ModelStreamEvent`s.
///
/// A decoder is a pure state machine (no I/O), so the same code runs over the network, over
/// recorded transcripts in tests and in the benchmark. Its one decoding entry point takes an
/// event's raw `data` bytes, so a chunk's JSON is read without making a String of it first;
/// `decode(_:into:)` for a whole `SSEEvent` is derived from it.
package protocol ModelStreamDecoder: Sendable {
    /// Decodes one server-sent event given as its name and its raw `data` bytes (valid only
    /// during the call), appending the normalized events it produces. `WireStreamParser` calls
    /// this for every event.
    /// Throws `ModelError` for a vendor `error` event (`.rateLimited`/`.server`/`.badRequest`) or
    /// for a payload that does not parse (`.malformed`, naming the event).
    mutating func decode(event name: String, data: UnsafeRawBufferPointer, into output: inout [ModelStreamEvent]) throws(ModelError)

    /// The byte stream ended. Appends any final events (for vendors whose end is implicit) or
    /// throws `ModelError(.streamCut)` when the vendor's end marker never arrived.
    mutating func finish(into output: inout [ModelStreamEvent]) throws(ModelError)

    /// Whether the vendor's end marker was seen; bytes after it are ignored.
    var isComplete: Bool { get }
}

extension ModelStreamDecoder {
    /// Decodes one dispatched `SSEEvent` through the byte entry point, exactly as it would decode
    /// the same event read off the wire.
    package mutating func decode(_ event: SSEEvent, into output: inout [ModelStreamEvent]) throws(ModelError) {
        try Array(event.data.utf8).withModelBytes { (data) throws(ModelError) in
            try decode(event: event.event, data: data, into: &output)
        }
    }
}
