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
