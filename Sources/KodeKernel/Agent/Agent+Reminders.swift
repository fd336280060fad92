import Foundation

/// Reminders (docs/AGENT.md, "Reminders"): things the model should keep in mind reach it as
/// `<system-reminder>` user messages, recorded in the conversation (so a resumed or forked agent
/// sent the same), each with a `reminder_sent` Monitor event. Open todos are reminded at the
/// start of a turn and every `todoReminderEverySteps` model calls; changes made by something else
/// to files the agent read or wrote are reminded before the next model call.
extension Agent {
    /// Records the reminders due before model call number `step` (0 = the turn's first).
    func sendReminders(step: Int) {
        let every = context.todoReminderEverySteps
        if every > 0, step % every == 0, case let open = state.todos.filter({ $0.status != .completed }), !open.isEmpty {
            let lines = open.map { "- [\($0.status.rawValue)] \($0.title) (id \($0.id))" }.joined(separator: "\n")
            remind(kind: "todos", "Your todo list still has \(open.count) open item\(open.count == 1 ? "" : "s"):\n\(lines)\nKeep it current with todo_write as you work; do not mention this reminder.")
        }
        if !pendingReminders.isEmpty {
            let lines = pendingReminders.joined(separator: "\n")
            pendingReminders.removeAll()
            remind(kind: "file_changes", "Files you read or wrote were changed by something else since:\n\(lines)\nRead them again before relying on or editing their content.")
        }
    }

    /// Records one reminder message (with `id`, or a fresh one) and its `reminder_sent` event.
    func remind(kind: String, id: String? = nil, _ text: String) {
        let message = Message.reminder(id: id ?? "rem_" + ShortID.make(), text)
        record(.message(message))
        emit(.reminderSent(ReminderSentEvent(kind: kind, messageId: message.id, text: text)))
    }
}
