/// When a failed threshold compaction may be tried again (docs/AGENT.md, "Long sessions").
///
/// Without it every later step of the turn would ask for a summary at once: a provider that is
/// down gets one more summarising call per step, and every step pays that failure before its
/// own request. After a failure the agent waits until the conversation grew meaningfully — a few
/// more messages, or a twentieth of the context window more tokens — or a new turn began (its
/// input may be what the summary needs, and a person is waiting again). A manual compaction is
/// not held back, and any successful compaction clears this.
struct CompactionBackoff: Sendable, Hashable {
    /// Messages the conversation must grow by before the next attempt.
    static let retryAfterMessages = 10
    /// Fraction of the context window the estimate must grow by before the next attempt.
    static let retryAfterWindowFraction = 0.05

    /// The conversation's length, the estimated request tokens and the turn when it failed.
    let messages: Int
    let tokens: Int
    /// The first input the failing turn answered (``AgentState/turnInputIds``); a new turn
    /// answers a new input, while a turn continued after a resume keeps its first one.
    let turn: String?
    /// Tokens the estimate must grow by.
    let tokenGrowth: Int

    init(messages: Int, tokens: Int, turn: String?, window: Int) {
        self.messages = messages
        self.tokens = tokens
        self.turn = turn
        self.tokenGrowth = max(1, Int(Self.retryAfterWindowFraction * Double(window)))
    }

    /// Whether a compaction may be tried with the conversation now this long and this large.
    func allowsRetry(messages: Int, tokens: Int, turn: String?) -> Bool {
        turn != self.turn
            || messages - self.messages >= Self.retryAfterMessages
            || tokens - self.tokens >= tokenGrowth
    }

    /// The Monitor's words for when the next attempt comes.
    var retryDescription: String {
        "it is tried again after \(Self.retryAfterMessages) more messages, \(tokenGrowth) more tokens or at the next turn"
    }
}
