/// Which envelopes a subscriber wants: a set of channels and, optionally, a set of types.
public struct EventFilter: Sendable, Hashable {
    public var channels: Set<EventChannel>
    /// `nil` means every type on the chosen channels.
    public var kinds: Set<EventType>?

    public init(channels: Set<EventChannel> = Set(EventChannel.allCases), kinds: Set<EventType>? = nil) {
        self.channels = channels
        self.kinds = kinds
    }

    /// Every event.
    public static let all = EventFilter()

    @inline(__always)
    public func matches(_ event: AgentEvent) -> Bool {
        let type = event.type
        guard channels.contains(type.channel) else { return false }
        if let kinds { return kinds.contains(type) }
        return true
    }
}
