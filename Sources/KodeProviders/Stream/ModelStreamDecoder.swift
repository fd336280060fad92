import KodeKernel

/// Turns one vendor's server-sent events into the kernel's normalized `ModelStreamEvent`s.
///
/// A decoder is a pure state machine (no I/O), so the same code runs over the network, over
/// recorded transcripts in tests and in the benchmark.
public protocol ModelStreamDecoder: Sendable {
    /// Decodes one server-sent event, appending the normalized events it produces.
    /// Throws `ModelError` for a vendor `error` event (`.rateLimited`/`.server`/`.badRequest`) or
    /// for a payload that does not parse (`.malformed`, naming the event).
    mutating func decode(_ event: SSEEvent, into output: inout [ModelStreamEvent]) throws(ModelError)

    /// Decodes one server-sent event given as its name and its raw `data` bytes (valid only
    /// during the call), exactly as `decode(_:into:)` would decode it. `WireStreamParser` calls
    /// this one, so a decoder can read a chunk's JSON without making a String of it first; the
    /// default makes the `SSEEvent` and calls `decode(_:into:)`.
    mutating func decode(event name: String, data: UnsafeRawBufferPointer, into output: inout [ModelStreamEvent]) throws(ModelError)

    /// The byte stream ended. Appends any final events (for vendors whose end is implicit) or
    /// throws `ModelError(.streamCut)` when the vendor's end marker never arrived.
    mutating func finish(into output: inout [ModelStreamEvent]) throws(ModelError)

    /// Whether the vendor's end marker was seen; bytes after it are ignored.
    var isComplete: Bool { get }
}

extension ModelStreamDecoder {
    /// Decodes through `decode(_:into:)`.
    public mutating func decode(event name: String, data: UnsafeRawBufferPointer, into output: inout [ModelStreamEvent]) throws(ModelError) {
        try decode(SSEEvent(event: name, data: String(decoding: data, as: UTF8.self)), into: &output)
    }
}
