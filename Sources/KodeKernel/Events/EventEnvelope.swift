import Foundation

/// An event with its place in the agent's history. `seq` is one counter per agent across all
/// channels and all stored records: strictly increasing forever, never reused, not necessarily
/// dense (state records between events take numbers too). The one event that is never stored,
/// the fatal storage error that makes an agent read-only, has no place in the history and
/// carries ``liveOnlySeq`` instead.
public struct EventEnvelope: Sendable, Hashable {
    /// The seq of an envelope that is published live and never stored: 0, which no record has,
    /// so no record stored later (by this agent's next writer, say) can share it.
    public static let liveOnlySeq: UInt64 = 0

    public var seq: UInt64
    public var timestamp: Date
    public var agentId: AgentID
    public var event: AgentEvent

    public init(seq: UInt64, timestamp: Date, agentId: AgentID, event: AgentEvent) {
        self.seq = seq
        self.timestamp = timestamp
        self.agentId = agentId
        self.event = event
    }

    public var channel: EventChannel { event.channel }
    public var bookmark: Bookmark { Bookmark(seq: seq, timestamp: timestamp) }
}

extension EventEnvelope: Codable {
    private enum Key: String, CodingKey { case seq, timestamp, channel, agentId }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        seq = try c.decode(UInt64.self, forKey: .seq)
        timestamp = try c.decode(Date.self, forKey: .timestamp)
        agentId = try c.decode(String.self, forKey: .agentId)
        event = try AgentEvent(from: decoder)
    }

    /// One flat object: `{"seq","timestamp","channel","type","agentId", …event fields}`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(seq, forKey: .seq)
        try c.encode(timestamp, forKey: .timestamp)
        try c.encode(channel, forKey: .channel)
        try c.encode(agentId, forKey: .agentId)
        try event.encode(to: encoder)
    }
}

extension EventEnvelope {
    /// The JSON-lines encoder used by `kode run --json` and `kode events --json`:
    /// sorted keys, ISO-8601 timestamps with milliseconds.
    public static func lineEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(ISO8601.format(date))
        }
        return encoder
    }

    /// The matching decoder.
    public static func lineDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let c = try decoder.singleValueContainer()
            let text = try c.decode(String.self)
            guard let date = ISO8601.parse(text) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "bad timestamp '\(text)'")
            }
            return date
        }
        return decoder
    }
}

/// ISO-8601 timestamps with milliseconds, in UTC.
package enum ISO8601 {
    /// `2026-11-22T10:04:05.123Z`.
    package static func format(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true).timeSeparator(.colon).timeZone(separator: .omitted))
    }

    /// Parses what `format` writes (and the same without fractional seconds).
    package static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true).timeSeparator(.colon).timeZone(separator: .omitted)) {
            return date
        }
        return try? Date(text, strategy: .iso8601)
    }
}
