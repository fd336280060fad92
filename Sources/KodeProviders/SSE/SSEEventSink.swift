/// Where `SSEDecoder` hands each dispatched event: its name, its `data` bytes (valid only during
/// the call), the last event id and the `retry` value.
///
/// `SSEDecoder.decode(_:into:)` collects `SSEEvent`s (with `data` as a String); the providers'
/// own path keeps the bytes, so a chunk's JSON is read straight from them without making a
/// String first.
protocol SSEEventSink {
    mutating func receive(event name: String, data: UnsafeRawBufferPointer, id: String?, retry: Int?)
}

extension Array: SSEEventSink where Element == SSEEvent {
    mutating func receive(event name: String, data: UnsafeRawBufferPointer, id: String?, retry: Int?) {
        append(SSEEvent(event: name, data: String(decoding: data, as: UTF8.self), id: id, retry: retry))
    }
}
