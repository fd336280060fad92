import Foundation
import KodeKernel
import KodeTUI
import Testing

/// A `<system-reminder>` the runtime recorded for the model is shown as one dim line saying what
/// it is, not as a message the user typed; a user's own text that merely mentions the tag stays
/// theirs.
@Suite struct ReminderItemTests {
    static func fold(_ messages: [Message]) -> [ConversationItem.Kind] {
        var conversation = ConversationModel()
        for (i, message) in messages.enumerated() {
            conversation.apply(record: LogRecord(seq: UInt64(i + 1), timestamp: Date(), body: .message(message)), agentId: "agt_t")
        }
        return conversation.items.map(\.kind)
    }

    @Test func aReminderIsANoticeNotTypedInput() {
        let reminder = Message(role: .user, content: [.text("<system-reminder>\nYour todo list still has 1 open item:\n- [pending] ship it (id 1)\n</system-reminder>")])
        #expect(Self.fold([reminder]) == [.notice(text: "reminder to the model: Your todo list still has 1 open item:", role: .hint)])
        #expect(reminder.reminderText == "Your todo list still has 1 open item:\n- [pending] ship it (id 1)")
    }

    @Test func textThatOnlyMentionsTheTagIsTheUsers() {
        let typed = Message(role: .user, content: [.text("what does <system-reminder> mean?")])
        #expect(typed.reminderText == nil)
        #expect(Self.fold([typed]) == [.user(text: "what does <system-reminder> mean?", inputId: typed.id, queued: false)])
    }

    /// Live, the line appears when the reminder goes to the model (its `reminder_sent`), and
    /// the turn-end refresh of the newest messages does not add it again as typed input.
    @Test func aLiveReminderIsOneNoticeBeforeTheReply() {
        let c = Fixtures.Clock()
        var conversation = ConversationModel()
        let reminder = Message.reminder(id: "rem_1", "Progress check: in one sentence, what is done?")
        conversation.apply(c.env(.reminderSent(ReminderSentEvent(kind: "scheduled", messageId: reminder.id, text: "Progress check: in one sentence, what is done?"))))
        for e in Fixtures.text(c, "m1", ["ok"]) { conversation.apply(e) }
        conversation.merge(queued: [], newest: [reminder], at: c.time)
        let kinds = conversation.items.map(\.kind)
        #expect(kinds.first == .notice(text: "reminder to the model: Progress check: in one sentence, what is done?", role: .hint), "\(kinds)")
        #expect(!kinds.contains { if case .user = $0 { true } else { false } }, "\(kinds)")
        #expect(kinds.count == 2, "\(kinds)")
    }
}
