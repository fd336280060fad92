import Foundation
import KodeKernel
import Testing

@Suite("Conversation shaper")
struct ConversationShaperTests {
    @Test("a conversation replaced by a rewind and grown back to the same length is shaped anew")
    func rewoundConversationIsNotTheOldOne() {
        var state = AgentState(id: "agt_shape")
        state.messages = [
            Message(id: "m1", role: .user, content: [.text("first question")]),
            Message(id: "m2", role: .assistant, content: [.text("first answer")]),
            Message(id: "m3", role: .user, content: [.text("the abandoned question")]),
        ]
        var shaper = ConversationShaper()
        shaper.update(with: state, budget: .max)
        #expect(shaper.sent.last?.text == "the abandoned question")

        // Rewound to the first answer, then a new prompt: as many messages as before.
        state.messages = Array(state.messages.prefix(2)) + [Message(id: "m4", role: .user, content: [.text("the new question")])]
        shaper.update(with: state, budget: .max)
        #expect(shaper.sent.map(\.text) == ["first question", "first answer", "the new question"])

        // Growing as usual still only folds in what was added.
        state.messages.append(Message(id: "m5", role: .assistant, content: [.text("the new answer")]))
        shaper.update(with: state, budget: .max)
        #expect(shaper.sent.map(\.text) == ["first question", "first answer", "the new question", "the new answer"])
    }
}

@Suite("Conversation rewind and compaction")
struct RewindCompactionTests {
    static func message(_ id: String, _ role: Role) -> Message { Message(id: id, role: role, content: [.text(id)]) }

    static func compacted(replacing count: Int, of messages: [Message]) -> AgentState {
        var state = AgentState(id: "agt_rewind")
        state.messages = messages
        state.compaction = Compaction(id: "cmp_1", summary: "what came before", replacedMessages: count, firstMessageId: messages[0].id,
                                      lastMessageId: messages[count - 1].id, replacedAssistantMessages: 1, replacedBytes: 100, summaryBytes: 10,
                                      tokensBefore: 50, tokensAfter: 5, trigger: .threshold)
        state.contextCount = ContextCount(tokens: 40, atBytes: 90)
        return state
    }

    static func rewound(_ state: inout AgentState, to messages: [Message]) {
        state.apply(LogRecord(seq: state.lastSeq + 1, timestamp: Date(),
                              body: .conversationRewound(ConversationRewind(toCheckpoint: "cp_1", messages: messages, toolCalls: [], todos: []))))
    }

    @Test("a rewind to before a compaction drops it and the provider's token count; one after it keeps the compaction")
    func rewindBeforeACompactionDropsIt() {
        let all = [Self.message("m1", .user), Self.message("m2", .assistant), Self.message("m3", .user), Self.message("m4", .assistant)]
        var before = Self.compacted(replacing: 2, of: all)
        Self.rewound(&before, to: [all[0]])
        #expect(before.compaction == nil && before.contextCount == nil)

        var after = Self.compacted(replacing: 2, of: all)
        Self.rewound(&after, to: Array(all.prefix(3)))
        #expect(after.compaction?.id == "cmp_1")
        #expect(after.contextCount == nil, "the count was of the longer conversation")

        var replaced = Self.compacted(replacing: 2, of: all)
        Self.rewound(&replaced, to: [all[0], Self.message("m9", .assistant), all[2]])
        #expect(replaced.compaction == nil, "the compacted range no longer ends with the message it summarised")
    }
}
