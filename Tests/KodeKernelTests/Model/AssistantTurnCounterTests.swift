import KodeKernel
import Testing

@Suite("Assistant turn counter")
struct AssistantTurnCounterTests {
    private func conversation(_ roles: String) -> [Message] {
        roles.map { Message(role: $0 == "a" ? .assistant : .user, content: [.text("x")]) }
    }

    @Test func countsAGrowingConversationIncrementally() {
        let counter = AssistantTurnCounter()
        var messages = conversation("ua")
        #expect(counter.assistantMessages(in: messages) == 1)
        messages += conversation("uaua")
        #expect(counter.assistantMessages(in: messages) == 3)
        #expect(counter.assistantMessages(in: messages) == 3)
    }

    @Test func recountsAnotherOrShorterConversation() {
        let counter = AssistantTurnCounter()
        let long = conversation("uauaua")
        #expect(counter.assistantMessages(in: long) == 3)
        // A different conversation of the same length: its last id differs.
        #expect(counter.assistantMessages(in: conversation("uuuuua")) == 1)
        // A fork of `long` at its fourth message, then grown differently.
        let fork = Array(long.prefix(4)) + conversation("uu")
        #expect(counter.assistantMessages(in: fork) == 2)
        #expect(counter.assistantMessages(in: Array(long.prefix(2))) == 1)
        #expect(counter.assistantMessages(in: []) == 0)
    }

    @Test func aForkThatSharesTheCountedPrefixCountsOnlyItsOwnMessages() {
        let counter = AssistantTurnCounter()
        let parent = conversation("uaua")
        #expect(counter.assistantMessages(in: parent) == 2)
        let child = parent + conversation("uaa")
        #expect(counter.assistantMessages(in: child) == 4)
    }
}
