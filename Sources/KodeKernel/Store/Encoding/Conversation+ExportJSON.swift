/// Encoded messages written out as export JSON without decoding them into `Message`s first.
///
/// `kode export --json` of a long agent spent most of what it cost beyond the writing on
/// building messages (a `String` per text, an array per message, fresh heap pages for all of it)
/// only to turn them straight back into bytes. Here the text goes from the snapshot's bytes to
/// the output in one copy. The result is the same as decoding and then writing: the pieces are
/// `ConversationJSONWriter`'s, and the checksum-verified bytes were written from Swift strings,
/// so they are valid UTF-8 already.
extension ByteReader {
    mutating func writeMessageJSON(into out: inout [UInt8], document: inout ConversationJSONWriter.Document) throws(BinaryDecodingFailure) {
        _ = try stringBytes()  // the message id: not exported
        let role: Role
        switch try u8() {
        case ConversationTag.user: role = .user
        case ConversationTag.assistant: role = .assistant
        case let other: throw failure("\(other) is not a message role", at: position - 1)
        }
        _ = try date()
        let blocks = try count(minimumSize: 5)
        document.beginMessage(into: &out)
        for index in 0..<blocks {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            try writeContentBlockJSON(into: &out)
        }
        document.endMessage(role: role, into: &out)
    }

    private mutating func writeContentBlockJSON(into out: inout [UInt8]) throws(BinaryDecodingFailure) {
        switch try u8() {
        case ConversationTag.text:
            ConversationJSONWriter.text(try stringBytes(), into: &out)
        case ConversationTag.thinking:
            let text = try stringBytes()
            let signature = try optional { reader throws(BinaryDecodingFailure) in try reader.stringBytes() }
            ConversationJSONWriter.thinking(text, signature: signature, into: &out)
        case ConversationTag.toolUse:
            // Tool inputs are small, and objects need their keys sorted: decoded as usual.
            let id = try stringBytes(), name = try stringBytes()
            ConversationJSONWriter.toolUse(id: id, name: name, input: try json(depth: 0), into: &out)
        case ConversationTag.toolResult:
            let id = try stringBytes(), content = try stringBytes()
            ConversationJSONWriter.toolResult(id: id, content: content, isError: try bool(), into: &out)
        case let other:
            throw failure("\(other) is not a content block kind", at: position - 1)
        }
    }
}
