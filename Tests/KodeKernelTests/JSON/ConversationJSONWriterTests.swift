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

    /// Every block kind and awkward text, for the snapshot path below.
    static let awkward: [Message] = [
        Message(role: .user, content: [.text("plain"), .text("quote \" backslash \\ newline \n tab \t bell \u{7} é 😀 /slash"), .text("")]),
        Message(role: .assistant, content: [
            .thinking("hmm", signature: "sig"), .thinking("", signature: nil),
            .toolUse(id: "toolu_1", name: "fs_read", input: ["path": "a/b.txt", "n": 3, "list": [true, nil, 1.5], "nested": ["z": "y", "a": "b"]]),
        ]),
        Message(role: .user, content: [.toolResult(toolUseId: "toolu_1", content: "out\u{0}put", isError: true), .toolResult(toolUseId: "t2", content: "", isError: false)]),
        Message(role: .assistant, content: []),
    ]

    static func history(snapshotOf messages: [Message], at seq: UInt64, then later: [RecordBody]) throws -> AgentHistory {
        var state = AgentState(id: "agt_export")
        state.messages = messages
        state.lastSeq = seq
        let manifest = AgentManifest(id: "agt_export", config: AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: "/tmp"))
        let records = later.enumerated().map { LogRecord(seq: seq + 1 + UInt64($0.offset), timestamp: Date(), body: $0.element) }
        return AgentHistory(manifest: manifest, snapshot: StoredSnapshot(seq: seq, data: try state.encoded()), records: records)
    }

    static func exported(_ history: AgentHistory, limit: Int) throws -> [UInt8] {
        var joined: [UInt8] = []
        var buffer: [UInt8] = []
        try AgentState.writeConversationJSON(of: history, into: &buffer, flushingAt: limit) { piece in
            joined += piece
            piece.removeAll(keepingCapacity: true)
        }
        return joined
    }

    @Test("from a snapshot's bytes, the export is byte for byte what decoding the conversation and writing it gives")
    func snapshotBytesExportLikeDecodedMessages() throws {
        let later = Message(role: .assistant, content: [.text("after the snapshot")])
        let history = try Self.history(snapshotOf: Self.awkward, at: 40, then: [.message(later)])
        var expected: [UInt8] = []
        ConversationJSONWriter.write(try AgentState.conversation(of: history), into: &expected)
        #expect(try AgentState.conversation(of: history).count == Self.awkward.count + 1)
        for limit in [1, 64, 64 * 1024] {
            #expect(try Self.exported(history, limit: limit) == expected, "limit \(limit)")
        }
        let empty = try Self.history(snapshotOf: [], at: 3, then: [])
        #expect(try JSONValue.parse(Data(try Self.exported(empty, limit: 64))) == ["messages": []])
    }

    @Test("a rewind after the snapshot is folded: the export shows the conversation the rewind left")
    func rewindAfterTheSnapshotIsFolded() throws {
        let kept = [Self.awkward[0]]
        let rewind = ConversationRewind(toCheckpoint: "cp_1", messages: kept, toolCalls: [], todos: [])
        let history = try Self.history(snapshotOf: Self.awkward, at: 10, then: [.conversationRewound(rewind)])
        var expected: [UInt8] = []
        ConversationJSONWriter.write(kept, into: &expected)
        #expect(try Self.exported(history, limit: 64) == expected)
    }

    @Test("a damaged snapshot is an error naming it, not a crash")
    func damagedSnapshotIsAnError() throws {
        let history = try Self.history(snapshotOf: Self.awkward, at: 10, then: [])
        var data = history.snapshot!.data
        data = data.prefix(data.count / 2)
        let damaged = AgentHistory(manifest: history.manifest, snapshot: StoredSnapshot(seq: 10, data: data, source: "snapshots/x.snap"), records: [])
        #expect { try Self.exported(damaged, limit: 64) } throws: { "\($0)".contains("snapshots/x.snap") }
    }
}
