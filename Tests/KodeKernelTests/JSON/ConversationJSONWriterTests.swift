import Foundation
import KodeKernel
import Testing

@Suite("Conversation JSON writer")
struct ConversationJSONWriterTests {
    @Test("writes what JSONEncoder wrote for the export, every block kind and awkward text included")
    func agreesWithJSONEncoder() throws {
        struct Entry: Encodable {
            var role: Role
            var content: [ContentBlock]
        }
        struct Exported: Encodable { var messages: [Entry] }
        let messages = [
            Message(role: .user, content: [.text("plain"), .text("quote \" backslash \\ newline \n tab \t bell \u{7} é 😀 /slash")]),
            Message(role: .assistant, content: [
                .thinking("hmm", signature: "sig"), .thinking("", signature: nil),
                .toolUse(id: "toolu_1", name: "fs_read", input: ["path": "a/b.txt", "n": 3, "list": [true, nil, 1.5], "nested": ["z": "y", "a": "b"]]),
            ]),
            Message(role: .user, content: [.toolResult(toolUseId: "toolu_1", content: "out\u{0}put", isError: true), .toolResult(toolUseId: "t2", content: "", isError: false)]),
        ]
        var ours: [UInt8] = []
        ConversationJSONWriter.write(messages, into: &ours)
        let theirs = try EventEnvelope.lineEncoder().encode(Exported(messages: messages.map { Entry(role: $0.role, content: $0.content) }))
        #expect(try JSONValue.parse(Data(ours)) == JSONValue.parse(theirs))
        #expect(String(decoding: ours, as: UTF8.self).hasPrefix("{\"messages\":[\n{\"content\":[{\"text\":\"plain\",\"type\":\"text\"}"))

        var empty: [UInt8] = []
        ConversationJSONWriter.write([Message](), into: &empty)
        #expect(try JSONValue.parse(Data(empty)) == ["messages": []])
    }

    @Test("written out in pieces, the bytes are the same as written whole")
    func piecesJoinToTheWholeDocument() {
        let messages = (0..<300).map { index in
            Message(role: index % 2 == 0 ? .user : .assistant, content: [.text(String(repeating: "text \(index) ", count: 20))])
        }
        var whole: [UInt8] = []
        ConversationJSONWriter.write(messages, into: &whole)
        for limit in [1, 100, 4096, 64 * 1024] {
            var joined: [UInt8] = []
            var buffer: [UInt8] = []
            var flushes = 0
            ConversationJSONWriter.write(messages, into: &buffer, flushingAt: limit) { (piece: inout [UInt8]) in
                joined += piece
                piece.removeAll(keepingCapacity: true)
                flushes += 1
            }
            #expect(joined == whole, "limit \(limit)")
            #expect(buffer.isEmpty)
            #expect(flushes >= (limit == 1 ? messages.count : 1))
        }
    }
}
