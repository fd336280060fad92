import Synchronization

/// Counts the assistant messages of a conversation without rescanning what it counted last time.
///
/// A scripted model picks its turn by that count, and an agent's conversation only grows, so
/// a full count per request made a long agent quadratic. The counter remembers where it stopped
/// (length and the id of the last message counted): when the next conversation still has that
/// message at that position it is the same conversation, grown (ids are unique within a
/// lineage, and a fork shares its parent's messages up to the fork point), and only the new
/// messages are counted. Anything else is counted from the start.
package final class AssistantTurnCounter: Sendable {
    private struct Mark {
        var length = 0
        var lastId = ""
        var count = 0
    }

    private let mark = Mutex(Mark())

    package init() {}

    package func assistantMessages(in messages: [Message]) -> Int {
        let known = mark.withLock { $0 }
        var count = 0
        var start = 0
        if known.length > 0, known.length <= messages.count, messages[known.length - 1].id == known.lastId {
            count = known.count
            start = known.length
        }
        for message in messages[start...] where message.role == .assistant { count += 1 }
        if let last = messages.last {
            mark.withLock { $0 = Mark(length: messages.count, lastId: last.id, count: count) }
        }
        return count
    }
}
