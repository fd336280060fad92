import Foundation

/// The newest part of an agent's state: what a view needs to draw its first frame, at a cost
/// that does not grow with the agent's history. Everything but the conversation, the tool
/// calls and the checkpoints is whole; those three hold only their newest part, and
/// ``TranscriptPage``s bring older messages when a person scrolls back.
public struct AgentStateWindow: Sendable, Hashable, Codable {
    /// The state, with `messages` holding messages `firstMessage..<messageCount` only, `toolCalls`
    /// the calls those messages make plus any not finished, and `checkpoints` the newest ones.
    public var state: AgentState
    /// The index in the whole conversation of `state.messages[0]`.
    public var firstMessage: Int
    /// Messages in the whole conversation.
    public var messageCount: Int
    /// Checkpoints in all (the window holds the newest `state.checkpoints.count`).
    public var checkpointCount: Int

    public init(state: AgentState, firstMessage: Int, messageCount: Int, checkpointCount: Int) {
        self.state = state
        self.firstMessage = firstMessage
        self.messageCount = messageCount
        self.checkpointCount = checkpointCount
    }
}

/// Messages `range` of the conversation with the tool calls they make.
public struct TranscriptPage: Sendable, Hashable, Codable {
    public var firstMessage: Int
    public var messages: [Message]
    public var toolCalls: [ToolCallRecord]

    public init(firstMessage: Int, messages: [Message], toolCalls: [ToolCallRecord]) {
        self.firstMessage = firstMessage
        self.messages = messages
        self.toolCalls = toolCalls
    }
}

extension AgentState {
    /// The newest `messages` messages and `checkpoints` checkpoints with what they refer to.
    /// Costs O(window), not O(history): tool calls are found from the window's own messages.
    public func window(messages limit: Int, checkpoints checkpointLimit: Int = 200) -> AgentStateWindow {
        let first = max(0, messages.count - max(0, limit))
        var trimmed = self
        trimmed.messages = Array(messages[first...])
        let page = transcriptPage(first..<messages.count)
        var calls: [String: ToolCallRecord] = [:]
        for record in page.toolCalls { calls[record.id] = record }
        // The calls of the batch in progress are in the newest assistant message already; a
        // look at the newest few records also keeps any unfinished one the window cut off.
        for id in toolCallOrder.suffix(64) {
            guard let record = toolCalls[id], calls[id] == nil, record.finishedAt == nil else { continue }
            calls[id] = record
        }
        trimmed.toolCalls = calls
        trimmed.toolCallOrder = toolCallOrder.suffix(calls.count).filter { calls[$0] != nil }
        trimmed.checkpoints = Array(checkpoints.suffix(max(0, checkpointLimit)))
        return AgentStateWindow(state: trimmed, firstMessage: first, messageCount: messages.count, checkpointCount: checkpoints.count)
    }

    /// Messages in `range` (clamped to the conversation) with the tool calls they make.
    public func transcriptPage(_ range: Range<Int>) -> TranscriptPage {
        let lower = min(max(0, range.lowerBound), messages.count)
        let upper = min(max(lower, range.upperBound), messages.count)
        let slice = messages[lower..<upper]
        var calls: [ToolCallRecord] = []
        for message in slice {
            for block in message.content {
                if case .toolUse(let id, _, _) = block, let record = toolCalls[id] { calls.append(record) }
            }
        }
        return TranscriptPage(firstMessage: lower, messages: Array(slice), toolCalls: calls)
    }
}
