import Foundation

/// Shapes the stored conversation into what a model is sent, incrementally: the agent keeps one
/// shaper and brings it up to date before each request, so a step costs what was added since the
/// last request, not the whole history (issue #11, item 10).
///
/// What is sent: the newest compaction's summary (if any), then the messages after the range it
/// replaced, with consecutive same-role messages merged (every vendor wants alternating roles),
/// empty text blocks dropped, and — when the result passes the character budget — the oldest
/// tool results shortened. Sizes are UTF-8 byte counts, which a Swift string knows without
/// walking it.
package struct ConversationShaper {
    struct CompressionReport {
        var beforeChars = 0
        var afterChars = 0
        var compressedResults = 0
    }

    /// Characters kept of a compressed tool result.
    static let keptChars = 400
    /// The newest messages are never compressed.
    static let protectedTail = 6

    /// The messages of the next request.
    package private(set) var sent: [Message] = []
    /// UTF-8 bytes of `sent`, and what they were before any compression.
    package private(set) var bytes = 0
    private(set) var uncompressedBytes = 0
    private(set) var compressedResults = 0
    /// Messages of the conversation folded in so far (an index into `AgentState.messages`).
    private var folded = 0
    /// The id of the last message folded in: a conversation that was replaced (a rewind) rather
    /// than only grown no longer has it there, even when it is as long again.
    private var lastFoldedId: String?
    /// The compaction `sent` starts with (nil: none).
    private var compactionId: String?
    /// Where compression goes on: the first block not yet looked at.
    private var cursor = (message: 0, block: 0)
    private var started = false

    package init() {}

    /// Brings `sent` up to date with `state` and shortens old tool results past `budget`.
    package mutating func update(with state: AgentState, budget: Int) {
        let base = state.compaction?.replacedMessages ?? 0
        if !started || state.compaction?.id != compactionId || state.messages.count < folded
            || (folded > 0 && state.messages[folded - 1].id != lastFoldedId) {
            reset(state.compaction)
            folded = min(base, state.messages.count)
            started = true
        }
        while folded < state.messages.count {
            append(state.messages[folded])
            folded += 1
        }
        lastFoldedId = folded > 0 ? state.messages[folded - 1].id : nil
        if bytes > budget { compress(toFit: budget) }
    }

    private mutating func reset(_ compaction: Compaction?) {
        sent = []
        bytes = 0
        uncompressedBytes = 0
        compressedResults = 0
        compactionId = compaction?.id
        if let compaction {
            let summary = compaction.summaryMessage
            sent.append(summary)
            bytes = Self.size(of: summary)
            uncompressedBytes = bytes
        }
        // The summary itself is never compressed.
        cursor = (sent.count, 0)
    }

    /// Appends one stored message, merging it into the previous one when they share a role.
    /// Tool results must lead a user message for some vendors.
    private mutating func append(_ message: Message) {
        let added = Self.size(of: message)
        uncompressedBytes += added
        guard let last = sent.last, last.role == message.role else {
            var message = message
            Self.dropEmptyText(&message)
            bytes += Self.size(of: message)
            sent.append(message)
            return
        }
        var merged = last
        var results: [ContentBlock] = []
        var others: [ContentBlock] = []
        for block in message.content {
            if case .toolResult = block { results.append(block) } else { others.append(block) }
        }
        // A placeholder for an empty message gives way to real content.
        let kept = last.content == [.text("(empty)")] ? [] : last.content
        merged.content = results + kept + others
        Self.dropEmptyText(&merged)
        bytes += Self.size(of: merged) - Self.size(of: last)
        sent[sent.count - 1] = merged
        if cursor.message == sent.count - 1 { cursor.block = 0 }
    }

    private static func dropEmptyText(_ message: inout Message) {
        if message.content.contains(where: { if case .text(let t) = $0 { return t.isEmpty } else { return false } }) {
            message.content.removeAll { if case .text(let t) = $0 { return t.isEmpty } else { return false } }
        }
        if message.content.isEmpty { message.content = [.text("(empty)")] }
    }

    /// Shortens the oldest tool results not yet shortened until `sent` fits `budget`. The cursor
    /// only moves forward, so over a session each block is looked at once.
    private mutating func compress(toFit budget: Int) {
        let limit = max(0, sent.count - Self.protectedTail)
        while bytes > budget, cursor.message < limit {
            let m = cursor.message
            if cursor.block >= sent[m].content.count {
                cursor = (m + 1, 0)
                continue
            }
            let b = cursor.block
            cursor.block += 1
            guard case .toolResult(let id, let content, let isError) = sent[m].content[b],
                  content.utf8.count > Self.keptChars + 80 else { continue }
            let kept = String(content.prefix(Self.keptChars))
            let omitted = content.utf8.count - kept.utf8.count
            let short = kept + "\n[compressed: \(omitted) bytes omitted to fit the context]"
            sent[m].content[b] = .toolResult(toolUseId: id, content: short, isError: isError)
            bytes -= content.utf8.count - short.utf8.count
            compressedResults += 1
        }
    }

    /// UTF-8 bytes of a message's content (tool inputs by their approximate JSON length).
    static func size(of message: Message) -> Int {
        message.content.reduce(0) { $0 + size(of: $1) }
    }

    static func size(of block: ContentBlock) -> Int {
        switch block {
        case .text(let t): return t.utf8.count
        case .thinking(let t, _): return t.utf8.count
        case .toolUse(_, _, let input): return input.approximateJSONLength
        case .toolResult(_, let c, _): return c.utf8.count
        }
    }

    /// The one-shot form: `messages` shaped with no compaction and no budget.
    static func mergeConsecutiveRoles(_ messages: [Message]) -> [Message] {
        var state = AgentState(id: "")
        state.messages = messages
        var shaper = ConversationShaper()
        shaper.update(with: state, budget: .max)
        return shaper.sent
    }
}
