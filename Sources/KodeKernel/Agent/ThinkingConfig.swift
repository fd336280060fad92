/// How much a model reasons before it answers (`--thinking`, `thinking = "…"` in the config).
public enum ThinkingLevel: String, Sendable, Hashable, Codable, CaseIterable {
    /// No extended thinking is asked for (the model's own default applies).
    case off
    case low
    case medium
    case high

    /// The token budget a level stands for where the vendor takes one (Anthropic's
    /// `budget_tokens`, Gemini's `thinkingBudget`); nil for `off`.
    public var defaultBudget: Int? {
        switch self {
        case .off: nil
        case .low: 2048
        case .medium: 8192
        case .high: 24576
        }
    }
}

/// Extended thinking for an agent, stored in its manifest: the level (or an explicit budget)
/// and the two switches of the SDK: whether thinking is published as `think_chunk_*` events
/// (expose) and whether earlier turns' thinking is sent back to the model (retain).
///
/// Thinking is always kept in the log. Within a turn it is always sent back, because Anthropic
/// refuses a tool result whose assistant message lost its signed thinking, and Gemini wants its
/// thought signatures back with function calls; `retain` decides about earlier turns only.
public struct ThinkingConfig: Sendable, Hashable, Codable {
    public var level: ThinkingLevel
    /// Overrides the level's budget (tokens, at least 1024).
    public var budgetTokens: Int?
    /// Publish thinking as Progress `think_chunk_*` events.
    public var expose: Bool
    /// Send thinking of earlier turns back to the model.
    public var retain: Bool

    /// Off, exposed and retained.
    public init(level: ThinkingLevel = .off, budgetTokens: Int? = nil, expose: Bool = true, retain: Bool = true) {
        self.level = level
        self.budgetTokens = budgetTokens
        self.expose = expose
        self.retain = retain
    }

    /// The budget to ask for; nil when thinking is off.
    public var budget: Int? {
        guard level != .off else { return nil }
        return budgetTokens ?? level.defaultBudget
    }

    /// The OpenAI-compatible `reasoning_effort`; nil when thinking is off.
    public var effort: String? { level == .off ? nil : level.rawValue }

    private enum CodingKeys: String, CodingKey { case level, budgetTokens, expose, retain }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            level: try c.decodeIfPresent(ThinkingLevel.self, forKey: .level) ?? .off,
            budgetTokens: try c.decodeIfPresent(Int.self, forKey: .budgetTokens),
            expose: try c.decodeIfPresent(Bool.self, forKey: .expose) ?? true,
            retain: try c.decodeIfPresent(Bool.self, forKey: .retain) ?? true)
    }
}
