import Foundation

extension Message {
    /// A `<system-reminder>` message: text the runtime adds for the model (open todos, files
    /// changed meanwhile, a scheduled reminder), recorded as a user message so a resumed or
    /// forked agent sends the same. Built here and recognised here, so the format lives once.
    package static func reminder(id: String, _ text: String) -> Message {
        Message(id: id, role: .user, content: [.text(Self.reminderOpening + text + Self.reminderClosing)])
    }

    /// The reminder's text when this is a reminder message, else nil: front ends show these as
    /// what they are rather than as something the user typed.
    public var reminderText: String? {
        guard role == .user, content.count == 1, case .text(let text) = content[0],
              text.hasPrefix(Self.reminderOpening), text.hasSuffix(Self.reminderClosing),
              text.count >= Self.reminderOpening.count + Self.reminderClosing.count else { return nil }
        return String(text.dropFirst(Self.reminderOpening.count).dropLast(Self.reminderClosing.count))
    }

    private static let reminderOpening = "<system-reminder>\n"
    private static let reminderClosing = "\n</system-reminder>"
}
