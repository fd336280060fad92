import Foundation

/// An agent's name in listings: the title a person gave it (`agent_renamed`), else the first
/// line of its first prompt. One rule for every front end, so `kode agents` and the app's agents
/// view agree.
public enum AgentTitle {
    /// The longest title a rename accepts, in characters.
    public static let maxLength = 120
    /// An automatic title (from the first prompt) is cut to this many characters.
    public static let automaticLength = 80

    /// Why a title was refused.
    public struct Invalid: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    /// `text` trimmed, as a rename stores it; nil for a blank one (which removes the title).
    /// Refused: more than one line, or longer than ``maxLength``. Other characters are kept as
    /// given (titles are untrusted text: every front end sanitizes them when it draws them).
    public static func validate(_ text: String) throws(Invalid) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return nil }
        if trimmed.contains(where: \.isNewline) {
            throw Invalid(description: "a title is one line: this one has \(trimmed.split(whereSeparator: \.isNewline).count)")
        }
        if trimmed.count > maxLength {
            throw Invalid(description: "a title is at most \(maxLength) characters: this one has \(trimmed.count)")
        }
        return trimmed
    }

    /// The title `state` shows: the renamed one, else the first line of the first prompt (or of
    /// the first queued input; of a room message, its text), trimmed and cut to ``automaticLength``; nil before any prompt.
    public static func of(_ state: AgentState) -> String? {
        if let title = state.title { return title }
        let first = state.messages.first { $0.role == .user && !$0.text.isEmpty }?.text
            ?? state.queuedInputs.first?.text
        guard let first else { return nil }
        // A room message names the room's text, not its header.
        let prompt = RoomMessageHeader(first)?.body ?? first
        let line = prompt.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.count > automaticLength ? String(trimmed.prefix(automaticLength - 1)) + "…" : trimmed
    }
}
