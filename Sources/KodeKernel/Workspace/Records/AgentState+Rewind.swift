import Foundation

extension AgentState {
    /// Folds a conversation rewind: the conversation, its tool-call records and the todos become
    /// the checkpoint's; checkpoints, rules, usage and queued input stay (they are history, not
    /// conversation), and no turn is open any more.
    mutating func apply(_ rewind: ConversationRewind) {
        messages = rewind.messages
        toolCalls = [:]
        for call in rewind.toolCalls { toolCalls[call.id] = call }
        toolCallOrder = rewind.toolCalls.map(\.id)
        todos = rewind.todos
        conversationChars = rewind.messages.reduce(0) { $0 + ConversationShaper.size(of: $1) }
        // A compaction of messages the rewind took away summarises a conversation that is gone,
        // and the provider's token count was of the longer one: both go (the next request is
        // estimated, and compacts again if it must).
        if let kept = compaction, !(kept.replacedMessages > 0 && kept.replacedMessages <= messages.count && messages[kept.replacedMessages - 1].id == kept.lastMessageId) {
            compaction = nil
        }
        contextCount = nil
        // Cheaper to reshape once than to re-derive the flag here.
        needsShaping = true
        partialReplyChars = 0
        turnOpen = false
        turnInputIds = []
        runtimeState = .ready
        breakpoint = .ready
    }
}
