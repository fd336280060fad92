import Foundation

/// The binary encoding of messages, content blocks and JSON values (tool inputs), shared by
/// snapshots and log records.
///
/// Content blocks and JSON values are tagged unions: one tag byte, then the case's fields.
/// Tags are part of the format (docs/STORE-FORMAT.md): never renumber, only add.
enum ConversationTag {
    static let user: UInt8 = 0
    static let assistant: UInt8 = 1

    static let text: UInt8 = 1
    static let thinking: UInt8 = 2
    static let toolUse: UInt8 = 3
    static let toolResult: UInt8 = 4

    static let null: UInt8 = 0
    static let `false`: UInt8 = 1
    static let `true`: UInt8 = 2
    static let int: UInt8 = 3
    static let double: UInt8 = 4
    static let string: UInt8 = 5
    static let array: UInt8 = 6
    static let object: UInt8 = 7

    /// Deeper JSON is damage: no tool input nests this far, and recursion must stay bounded.
    static let maxJSONDepth = 512
}

extension ByteWriter {
    mutating func message(_ message: Message) {
        string(message.id)
        u8(message.role == .user ? ConversationTag.user : ConversationTag.assistant)
        date(message.timestamp)
        count(message.content.count)
        for block in message.content { contentBlock(block) }
    }

    mutating func contentBlock(_ block: ContentBlock) {
        switch block {
        case .text(let text):
            u8(ConversationTag.text)
            string(text)
        case .thinking(let text, let signature):
            u8(ConversationTag.thinking)
            string(text)
            optionalString(signature)
        case .toolUse(let id, let name, let input):
            u8(ConversationTag.toolUse)
            string(id)
            string(name)
            json(input)
        case .toolResult(let toolUseId, let content, let isError):
            u8(ConversationTag.toolResult)
            string(toolUseId)
            string(content)
            bool(isError)
        }
    }

    mutating func json(_ value: JSONValue) {
        switch value {
        case .null: u8(ConversationTag.null)
        case .bool(let flag): u8(flag ? ConversationTag.true : ConversationTag.false)
        case .int(let number):
            u8(ConversationTag.int)
            int(number)
        case .double(let number):
            u8(ConversationTag.double)
            double(number)
        case .string(let text):
            u8(ConversationTag.string)
            string(text)
        case .array(let elements):
            u8(ConversationTag.array)
            count(elements.count)
            for element in elements { json(element) }
        case .object(let members):
            u8(ConversationTag.object)
            count(members.count)
            // Keys in UTF-8 byte order: a dictionary's own order differs between processes (and
            // between equal dictionaries built differently), and equal records must be equal
            // bytes — `kode store copy` keeps every record's bytes by re-encoding it.
            for (key, member) in members.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
                string(key)
                json(member)
            }
        }
    }
}

extension ByteReader {
    /// The smallest encoded message: empty id, role, timestamp, no blocks.
    static let minimumMessageSize = 4 + 1 + 8 + 4

    mutating func message() throws(BinaryDecodingFailure) -> Message {
        let id = try string()
        let role: Role
        switch try u8() {
        case ConversationTag.user: role = .user
        case ConversationTag.assistant: role = .assistant
        case let other: throw failure("\(other) is not a message role", at: position - 1)
        }
        let timestamp = try date()
        let blocks = try count(minimumSize: 5)
        var content: [ContentBlock] = []
        content.reserveCapacity(blocks)
        for _ in 0..<blocks { content.append(try contentBlock()) }
        return Message(id: id, role: role, content: content, timestamp: timestamp)
    }

    mutating func contentBlock() throws(BinaryDecodingFailure) -> ContentBlock {
        switch try u8() {
        case ConversationTag.text:
            return .text(try string())
        case ConversationTag.thinking:
            return .thinking(try string(), signature: try optionalString())
        case ConversationTag.toolUse:
            return .toolUse(id: try string(), name: try string(), input: try json(depth: 0))
        case ConversationTag.toolResult:
            return .toolResult(toolUseId: try string(), content: try string(), isError: try bool())
        case let other:
            throw failure("\(other) is not a content block kind", at: position - 1)
        }
    }

    mutating func json(depth: Int) throws(BinaryDecodingFailure) -> JSONValue {
        guard depth < ConversationTag.maxJSONDepth else { throw failure("JSON nested deeper than \(ConversationTag.maxJSONDepth)") }
        switch try u8() {
        case ConversationTag.null: return .null
        case ConversationTag.false: return .bool(false)
        case ConversationTag.true: return .bool(true)
        case ConversationTag.int: return .int(try int())
        case ConversationTag.double: return .double(try double())
        case ConversationTag.string: return .string(try string())
        case ConversationTag.array:
            let length = try count(minimumSize: 1)
            var elements: [JSONValue] = []
            elements.reserveCapacity(length)
            for _ in 0..<length { elements.append(try json(depth: depth + 1)) }
            return .array(elements)
        case ConversationTag.object:
            let size = try count(minimumSize: 5)
            // Sized at creation: `reserveCapacity` on an empty dictionary goes through the
            // standard library's unspecialized resize, which looked up the storage's generic
            // metadata for every object (a tenth of decoding a tool loop's state).
            var members = [String: JSONValue](minimumCapacity: size)
            for _ in 0..<size {
                let key = try string()
                members[key] = try json(depth: depth + 1)
            }
            return .object(members)
        case let other:
            throw failure("\(other) is not a JSON value kind", at: position - 1)
        }
    }
}
