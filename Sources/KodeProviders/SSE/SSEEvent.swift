/// One dispatched Server-Sent Event.
///
/// `event` defaults to `"message"` as the event-stream specification says; `data` is every
/// `data:` line of the event joined by `"\n"`.
package struct SSEEvent: Sendable, Hashable {
    /// The `event:` field, or `"message"` when the event named none.
    package var event: String
    /// The `data:` lines joined by newlines (no trailing newline).
    package var data: String
    /// The last event id seen so far in the stream (ids persist across events), if any.
    package var id: String?
    /// The reconnection time in milliseconds, if this event carried a valid `retry:` field.
    package var retry: Int?

    /// Creates an event; the defaults match an event that only had `data:` lines.
    package init(event: String = "message", data: String, id: String? = nil, retry: Int? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry
    }
}
