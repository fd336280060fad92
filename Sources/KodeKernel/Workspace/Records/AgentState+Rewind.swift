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
        // Cheaper to reshape once than to re-derive the flag here.
        needsShaping = true
        partialReplyChars = 0
        turnOpen = false
        turnInputIds = []
        runtimeState = .ready
        breakpoint = .ready
    }
}
