/// One dispatched Server-Sent Event.
///
/// `event` defaults to `"message"` as the event-stream specification says; `data` is every
/// `data:` line of the event joined by `"\n"`.
public struct SSEEvent: Sendable, Hashable {
    /// The `event:` field, or `"message"` when the event named none.
    public var event: String
    /// The `data:` lines joined by newlines (no trailing newline).
    public var data: String
    /// The last event id seen so far in the stream (ids persist across events), if any.
    public var id: String?
    /// The reconnection time in milliseconds, if this event carried a valid `retry:` field.
    public var retry: Int?

    /// Creates an event; the defaults match an event that only had `data:` lines.
    public init(event: String = "message", data: String, id: String? = nil, retry: Int? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry
    }
}
