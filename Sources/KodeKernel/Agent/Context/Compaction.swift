import Foundation

/// The durable record of one compaction (docs/AGENT.md, "Long sessions"): the summary the model
/// wrote and the part of the conversation it stands for in what the model is sent from now on.
/// The log keeps every replaced message; only requests change.
///
/// Compactions are cumulative: each one replaces messages `0..<replacedMessages` (its summary
/// covers the previous summary too), so the newest record alone says what is sent.
public struct Compaction: Sendable, Hashable, Codable {
    /// What started it.
    public enum Trigger: String, Sendable, Hashable, Codable {
        /// The next request would have passed the threshold.
        case threshold
        /// Someone asked (`compact(instructions:)`, `kode compact`).
        case manual
    }

    /// `cmp_` and a short id; the summary message sent to the model carries it too.
    public var id: String
    /// The summary, sent as the first (user) message of every later request.
    public var summary: String
    /// Messages `0..<replacedMessages` of the conversation are replaced by the summary.
    public var replacedMessages: Int
    /// Ids of the first and last replaced message, so a reader can check the range.
    public var firstMessageId: String
    public var lastMessageId: String
    /// Assistant replies among the replaced messages (a scripted model counts them).
    public var replacedAssistantMessages: Int
    /// UTF-8 bytes of the replaced messages, and of the summary.
    public var replacedBytes: Int
    public var summaryBytes: Int
    /// Estimated tokens of the next request without and with this compaction.
    public var tokensBefore: Int
    public var tokensAfter: Int
    public var trigger: Trigger
    /// Extra instructions given for a manual compaction.
    public var instructions: String?
    /// Tool outputs left out of the summarising request so it fit the context window.
    public var trimmedToolOutputs: Int

    public init(
        id: String, summary: String, replacedMessages: Int, firstMessageId: String, lastMessageId: String,
        replacedAssistantMessages: Int, replacedBytes: Int, summaryBytes: Int, tokensBefore: Int, tokensAfter: Int,
        trigger: Trigger, instructions: String? = nil, trimmedToolOutputs: Int = 0
    ) {
        self.id = id
        self.summary = summary
        self.replacedMessages = replacedMessages
        self.firstMessageId = firstMessageId
        self.lastMessageId = lastMessageId
        self.replacedAssistantMessages = replacedAssistantMessages
        self.replacedBytes = replacedBytes
        self.summaryBytes = summaryBytes
        self.tokensBefore = tokensBefore
        self.tokensAfter = tokensAfter
        self.trigger = trigger
        self.instructions = instructions
        self.trimmedToolOutputs = trimmedToolOutputs
    }

    /// The message that stands for the replaced part in requests.
    public var summaryMessage: Message {
        Message(id: "sum_" + id, role: .user, content: [.text(Self.summaryPrefix + summary + "\n</conversation-summary>")],
                timestamp: Date(timeIntervalSinceReferenceDate: 0))
    }

    static let summaryPrefix = "<conversation-summary>\nThe earlier part of this conversation was compacted. Summary:\n\n"
}

/// Tokens of the conversation as the provider counted them for the newest reply.
public struct ContextCount: Sendable, Hashable, Codable {
    /// Input (with cache reads and writes) plus output tokens of the newest reply.
    public var tokens: Int
    /// `AgentState.conversationChars` at that moment: what came after it is estimated.
    public var atBytes: Int

    public init(tokens: Int, atBytes: Int) {
        self.tokens = tokens
        self.atBytes = atBytes
    }
}
