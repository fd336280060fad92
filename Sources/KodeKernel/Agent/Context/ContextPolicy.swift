/// How an agent keeps a long session inside its model's context window, and when it reminds the
/// model of things (docs/AGENT.md, "Long sessions" and "Reminders"). Read from the configuration
/// each time an agent is opened, so a change applies to stored agents too.
public struct ContextPolicy: Sendable, Hashable {
    /// The model's context window in tokens; nil looks the model up in ``ContextWindows``.
    public var contextWindow: Int?
    /// Compact when the next request would pass this fraction of the window; nil turns
    /// automatic compaction off (`compact(instructions:)` still works).
    public var compactionThreshold: Double?
    /// Tokens of the newest messages kept as they are by a compaction, as a fraction of the window.
    public var keepRecentFraction: Double
    /// Open todos are reminded at the start of a turn and every this many model calls; 0 turns
    /// todo reminders off.
    public var todoReminderEverySteps: Int
    /// Tokens the summary may take (the summarising request's `maxTokens`).
    public var summaryMaxTokens: Int
    /// Overrides of the window table by model name (`[context_windows]` in the configuration).
    public var windowOverrides: [String: Int]

    public init(
        contextWindow: Int? = nil, compactionThreshold: Double? = 0.8, keepRecentFraction: Double = 0.2,
        todoReminderEverySteps: Int = 10, summaryMaxTokens: Int = 4_096, windowOverrides: [String: Int] = [:]
    ) {
        self.contextWindow = contextWindow
        self.compactionThreshold = compactionThreshold
        self.keepRecentFraction = keepRecentFraction
        self.todoReminderEverySteps = todoReminderEverySteps
        self.summaryMaxTokens = summaryMaxTokens
        self.windowOverrides = windowOverrides
    }

    /// The window for `model`: the explicit one, an override, else the table.
    public func window(for model: String) -> Int {
        if let contextWindow { return contextWindow }
        if let override = windowOverrides[model] { return override }
        return ContextWindows.tokens(for: model)
    }
}

/// Context windows of known models, in tokens, matched by the longest prefix of the model name.
/// A model that is not listed gets ``fallback``; the configuration's `[context_windows]` overrides
/// any entry.
public enum ContextWindows {
    /// For a model the table does not know.
    public static let fallback = 128_000

    static let table: [(prefix: String, tokens: Int)] = [
        ("claude-", 200_000),
        ("gpt-4.1", 1_047_576), ("gpt-4o", 128_000), ("gpt-4-turbo", 128_000), ("gpt-4", 8_192),
        ("gpt-5", 400_000), ("o1", 200_000), ("o3", 200_000), ("o4", 200_000),
        ("gemini-1.5-pro", 2_097_152), ("gemini-1.5", 1_048_576), ("gemini-2", 1_048_576), ("gemini-", 1_048_576),
        ("deepseek-", 128_000), ("qwen", 131_072), ("llama", 131_072), ("mistral", 128_000),
        ("scripted", 200_000), ("demo", 200_000),
    ]

    /// The window of `model`.
    public static func tokens(for model: String) -> Int {
        let name = model.lowercased()
        var best: (length: Int, tokens: Int)?
        for entry in table where name.hasPrefix(entry.prefix) {
            if entry.prefix.count > (best?.length ?? -1) { best = (entry.prefix.count, entry.tokens) }
        }
        return best?.tokens ?? fallback
    }
}

/// Tokens estimated from UTF-8 bytes, for what no provider has counted yet (about four bytes a
/// token for English text and code; a conservative guess errs towards compacting early).
enum TokenEstimate {
    static let bytesPerToken = 4

    static func tokens(bytes: Int) -> Int {
        (max(0, bytes) + bytesPerToken - 1) / bytesPerToken
    }
}
