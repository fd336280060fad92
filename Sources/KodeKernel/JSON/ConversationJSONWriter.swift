/// Writes a conversation as `{"messages":[{"content":[…],"role":…},…]}` straight into bytes —
/// the shape `kode export --json` prints, one message per line, keys sorted as `JSONEncoder`
/// with `.sortedKeys` would write them. Going through `JSONEncoder` cost 5–10 µs a message,
/// which made exporting a long agent slow for no reason (issue #11, item 10).
///
/// Messages come either decoded (`Message`) or still encoded in a snapshot
/// (`ByteReader.writeMessageJSON`); both go through the same pieces below, so the two spell
/// every message identically.
package enum ConversationJSONWriter {
    package static func write(_ messages: some Collection<Message>, into out: inout [UInt8]) {
        write(messages, into: &out, flushingAt: .max) { _ in }
    }

    /// The same, handing `out` to `flush` whenever it holds `limit` bytes or more (and once at
    /// the end), which empties it. A long export then touches one buffer's worth of fresh memory
    /// instead of the whole document's: page faults were most of what a 1,000-message export
    /// cost a process beyond the writing itself.
    package static func write<E: Error>(
        _ messages: some Collection<Message>, into out: inout [UInt8], flushingAt limit: Int,
        _ flush: (inout [UInt8]) throws(E) -> Void
    ) throws(E) {
        var document = Document()
        document.start(into: &out)
        for message in messages {
            document.write(message, into: &out)
            if out.count >= limit { try flush(&out) }
        }
        document.end(into: &out)
        try flush(&out)
    }

    /// The frame around the messages: the opening, the separators, the closing.
    package struct Document {
        private var first = true

        package init() {}

        package func start(into out: inout [UInt8]) {
            out.append(contentsOf: #"{"messages":["#.utf8)
        }

        /// Starts the next message's line (and its content list).
        package mutating func beginMessage(into out: inout [UInt8]) {
            out.append(contentsOf: first ? "\n".utf8 : ",\n".utf8)
            first = false
            out.append(contentsOf: #"{"content":["#.utf8)
        }

        package func endMessage(role: Role, into out: inout [UInt8]) {
            out.append(contentsOf: #"],"role":"#.utf8)
            JSONTextWriter.writeString(role.rawValue, into: &out)
            out.append(UInt8(ascii: "}"))
        }

        package mutating func write(_ message: Message, into out: inout [UInt8]) {
            beginMessage(into: &out)
            for (index, block) in message.content.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                ConversationJSONWriter.write(block, into: &out)
            }
            endMessage(role: message.role, into: &out)
        }

        package func end(into out: inout [UInt8]) {
            out.append(contentsOf: "\n]}\n".utf8)
        }
    }

    private static func write(_ block: ContentBlock, into out: inout [UInt8]) {
        switch block {
        case .text(let text): self.text(text, into: &out)
        case .thinking(let text, let signature): thinking(text, signature: signature, into: &out)
        case .toolUse(let id, let name, let input): toolUse(id: id, name: name, input: input, into: &out)
        case .toolResult(let id, let content, let isError): toolResult(id: id, content: content, isError: isError, into: &out)
        }
    }

    static func text(_ text: some JSONStringPiece, into out: inout [UInt8]) {
        out.append(contentsOf: #"{"text":"#.utf8)
        text.writeJSON(into: &out)
        out.append(contentsOf: #","type":"text"}"#.utf8)
    }

    static func thinking<S: JSONStringPiece>(_ text: S, signature: S?, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        if let signature {
            out.append(contentsOf: #""signature":"#.utf8)
            signature.writeJSON(into: &out)
            out.append(UInt8(ascii: ","))
        }
        out.append(contentsOf: #""thinking":"#.utf8)
        text.writeJSON(into: &out)
        out.append(contentsOf: #","type":"thinking"}"#.utf8)
    }

    static func toolUse(id: some JSONStringPiece, name: some JSONStringPiece, input: JSONValue, into out: inout [UInt8]) {
        out.append(contentsOf: #"{"id":"#.utf8)
        id.writeJSON(into: &out)
        out.append(contentsOf: #","input":"#.utf8)
        JSONTextWriter.write(input, into: &out)
        out.append(contentsOf: #","name":"#.utf8)
        name.writeJSON(into: &out)
        out.append(contentsOf: #","type":"tool_use"}"#.utf8)
    }

    static func toolResult(id: some JSONStringPiece, content: some JSONStringPiece, isError: Bool, into out: inout [UInt8]) {
        out.append(contentsOf: #"{"content":"#.utf8)
        content.writeJSON(into: &out)
        out.append(contentsOf: isError ? #","is_error":true,"tool_use_id":"#.utf8 : #","is_error":false,"tool_use_id":"#.utf8)
        id.writeJSON(into: &out)
        out.append(contentsOf: #","type":"tool_result"}"#.utf8)
    }
}

/// Text that can be written as a JSON string: a `String`, or UTF-8 bytes still in an encoding.
protocol JSONStringPiece {
    func writeJSON(into out: inout [UInt8])
}

extension String: JSONStringPiece {
    func writeJSON(into out: inout [UInt8]) { JSONTextWriter.writeString(self, into: &out) }
}

extension UnsafeBufferPointer: JSONStringPiece where Element == UInt8 {
    func writeJSON(into out: inout [UInt8]) { JSONTextWriter.writeString(utf8: self, into: &out) }
}
