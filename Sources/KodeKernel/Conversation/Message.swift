import Foundation

/// Who wrote a message.
public enum Role: String, Sendable, Hashable, Codable {
    case user
    case assistant
}

/// One committed message of the conversation. Tool results travel in `user` messages, as in
/// the Anthropic format; providers translate to their vendor's shape.
public struct Message: Sendable, Hashable, Codable {
    /// Stable id, unique within the agent's lineage.
    public var id: String
    public var role: Role
    public var content: [ContentBlock]
    public var timestamp: Date

    public init(id: String = Message.newID(), role: Role, content: [ContentBlock], timestamp: Date = Date()) {
        self.id = id
        self.role = role
        self.content = content
        self.timestamp = timestamp
    }

    /// Concatenated text blocks.
    public var text: String {
        content.compactMap { if case .text(let t) = $0 { return t } else { return nil } }.joined()
    }

    /// The tool calls in this message, in order.
    public var toolUses: [(id: String, name: String, input: JSONValue)] {
        content.compactMap {
            if case .toolUse(let id, let name, let input) = $0 { return (id, name, input) }
            return nil
        }
    }

    /// A fresh random message id: `msg_` and 11 characters (55 random bits, plenty for
    /// uniqueness within a lineage). Fifteen UTF-8 bytes is the most a Swift string holds
    /// without a heap allocation, and a long conversation holds one id per message: at 16
    /// characters the ids were a third of the allocations of decoding a tool loop's state.
    public static func newID() -> String { "msg_" + ShortID.make(length: 11) }
}

/// Short random identifiers: 16 lowercase base-32 characters (80 bits).
package enum ShortID {
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)

    /// A new random id.
    package static func make(length: Int = 16) -> String {
        // One random word yields 12 characters (5 bits each).
        var bytes = [UInt8]()
        bytes.reserveCapacity(length)
        var word: UInt64 = 0
        for index in 0..<length {
            if index % 12 == 0 { word = RandomWords.next() }
            bytes.append(alphabet[Int(word & 31)])
            word >>= 5
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
