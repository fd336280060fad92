/// Writes a conversation as `{"messages":[{"content":[…],"role":…},…]}` straight into bytes —
/// the shape `kode export --json` prints, one message per line, keys sorted as `JSONEncoder`
/// with `.sortedKeys` would write them. Going through `JSONEncoder` cost 5–10 µs a message,
/// which made exporting a long agent slow for no reason (issue #11, item 10).
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
        out.append(contentsOf: #"{"messages":["#.utf8)
        var first = true
        for message in messages {
            out.append(contentsOf: first ? "\n".utf8 : ",\n".utf8)
            first = false
            out.append(contentsOf: #"{"content":["#.utf8)
            for (index, block) in message.content.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(block, into: &out)
            }
            out.append(contentsOf: #"],"role":"#.utf8)
            JSONTextWriter.writeString(message.role.rawValue, into: &out)
            out.append(UInt8(ascii: "}"))
            if out.count >= limit { try flush(&out) }
        }
        out.append(contentsOf: "\n]}\n".utf8)
        try flush(&out)
    }

    private static func write(_ block: ContentBlock, into out: inout [UInt8]) {
        switch block {
        case .text(let text):
            out.append(contentsOf: #"{"text":"#.utf8)
            JSONTextWriter.writeString(text, into: &out)
            out.append(contentsOf: #","type":"text"}"#.utf8)
        case .thinking(let text, let signature):
            out.append(UInt8(ascii: "{"))
            if let signature {
                out.append(contentsOf: #""signature":"#.utf8)
                JSONTextWriter.writeString(signature, into: &out)
                out.append(UInt8(ascii: ","))
            }
            out.append(contentsOf: #""thinking":"#.utf8)
            JSONTextWriter.writeString(text, into: &out)
            out.append(contentsOf: #","type":"thinking"}"#.utf8)
        case .toolUse(let id, let name, let input):
            out.append(contentsOf: #"{"id":"#.utf8)
            JSONTextWriter.writeString(id, into: &out)
            out.append(contentsOf: #","input":"#.utf8)
            JSONTextWriter.write(input, into: &out)
            out.append(contentsOf: #","name":"#.utf8)
            JSONTextWriter.writeString(name, into: &out)
            out.append(contentsOf: #","type":"tool_use"}"#.utf8)
        case .toolResult(let id, let content, let isError):
            out.append(contentsOf: #"{"content":"#.utf8)
            JSONTextWriter.writeString(content, into: &out)
            out.append(contentsOf: isError ? #","is_error":true,"tool_use_id":"#.utf8 : #","is_error":false,"tool_use_id":"#.utf8)
            JSONTextWriter.writeString(id, into: &out)
            out.append(contentsOf: #","type":"tool_result"}"#.utf8)
        }
    }
}
