import Foundation

/// One message posted to a room. `seq` is the room's own counter: 1, 2, 3… in the order the
/// room accepted the posts, never reused. Every receiver gets its messages in increasing `seq`.
public struct RoomMessage: Sendable, Hashable, Codable {
    /// The room's sequence number of this message.
    public var seq: UInt64
    /// The member who sent it, or an outside poster (`user`, a program's name).
    public var from: String
    /// The members it was addressed to with `@name`, in mention order; empty for a broadcast.
    public var to: [String]
    /// The text as posted.
    public var text: String
    /// When the room accepted it.
    public var time: Date

    public init(seq: UInt64, from: String, to: [String], text: String, time: Date = Date()) {
        self.seq = seq
        self.from = from
        self.to = to
        self.text = text
        self.time = time
    }

    /// Whether `member` receives this message: the addressees of a mention, everyone but the
    /// sender of a broadcast.
    public func isDelivered(to member: String) -> Bool {
        guard member != from else { return false }
        return to.isEmpty || to.contains(member)
    }

    /// The id of the user message this becomes in a receiver's log: `room:<room>:<seq>`. The
    /// same in every receiver, and what resume uses to know which messages arrived.
    public static func messageId(room: String, seq: UInt64) -> String {
        "room:\(room):\(seq)"
    }

    /// The user-side text a receiver's model reads: a header line naming room, seq, sender,
    /// addressees and the receiver's own name, then the text.
    public func rendered(room: String, for member: String) -> String {
        let addressees = to.isEmpty ? "everyone" : to.map { "@" + $0 }.joined(separator: " ")
        return "[room \(room) #\(seq) from @\(from) to \(addressees), you are @\(member)]\n\(text)"
    }
}

/// The header of a room message as found in a receiver's conversation (see
/// ``RoomMessage/rendered(room:for:)``): what a front end needs to show who sent it.
public struct RoomMessageHeader: Sendable, Hashable {
    public var room: String
    public var seq: UInt64
    public var from: String
    /// Addressees; empty for a broadcast.
    public var to: [String]
    /// The receiver's member name.
    public var member: String
    /// The text after the header line.
    public var body: String

    /// Parses a user message of a room; nil for any other text.
    public init?(_ text: String) {
        guard text.hasPrefix("[room "), let newline = text.firstIndex(of: "\n") else { return nil }
        let head = text[text.index(text.startIndex, offsetBy: 6)..<newline]
        guard head.hasSuffix("]") else { return nil }
        let words = head.dropLast().split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        // room #seq from @a to (everyone | @b @c…), you are @m
        guard words.count >= 8, words[1].hasPrefix("#"), let seq = UInt64(words[1].dropFirst()),
              words[2] == "from", words[3].hasPrefix("@"), words[4] == "to",
              words[words.count - 3] == "you", words[words.count - 2] == "are", words[words.count - 1].hasPrefix("@") else { return nil }
        var targets = Array(words[5..<(words.count - 3)])
        guard let last = targets.last, last.hasSuffix(",") else { return nil }
        targets[targets.count - 1] = String(last.dropLast())
        room = words[0]
        self.seq = seq
        from = String(words[3].dropFirst())
        to = targets == ["everyone"] ? [] : targets.map { String($0.dropFirst()) }
        member = String(words[words.count - 1].dropFirst())
        body = String(text[text.index(after: newline)...])
    }
}
