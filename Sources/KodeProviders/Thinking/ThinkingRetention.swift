import KodeKernel

/// Which messages' thinking goes back to the model when a request does not retain thinking
/// (`ModelRequest.retainThinking == false`): only the current turn's, from the last message
/// carrying the person's text on. That is what the vendors require — Anthropic needs the
/// signed thinking of the assistant message whose tool calls are being answered, Gemini the
/// thought signatures of the current turn's function calls — and earlier turns' thinking may
/// be left out by both.
enum ThinkingRetention {
    /// The index of the first message whose thinking is sent back.
    static func firstRetained(_ request: ModelRequest) -> Int {
        guard !request.retainThinking else { return 0 }
        let start = request.messages.lastIndex { message in
            message.role == .user && message.content.contains { if case .text(let t) = $0 { return !t.isEmpty } else { return false } }
        }
        return start ?? 0
    }
}
