import KodeKernel

/// Prices in US dollars per million tokens for well-known models, for cost estimates in the
/// Monitor. Public list prices as of late 2025; edit this table when they change. A model
/// matches the longest entry that prefixes its name, so dated snapshots
/// (`claude-sonnet-4-5-20250929`) use their family's price.
public enum ModelPricing {
    /// Dollars per million tokens.
    public struct Price: Sendable, Hashable {
        /// Uncached input.
        public var input: Double
        /// Output (including reasoning tokens).
        public var output: Double
        /// Input read from the prompt cache.
        public var cacheRead: Double
        /// Input written to the prompt cache.
        public var cacheWrite: Double
    }

    /// The table: model name prefix → price.
    public static let table: [String: Price] = [
        "claude-opus-4-1": Price(input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75),
        "claude-opus-4": Price(input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75),
        "claude-sonnet-4-5": Price(input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75),
        "claude-sonnet-4": Price(input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75),
        "claude-haiku-4-5": Price(input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25),
        "claude-3-5-haiku": Price(input: 0.8, output: 4, cacheRead: 0.08, cacheWrite: 1),
        "gpt-4o-mini": Price(input: 0.15, output: 0.6, cacheRead: 0.075, cacheWrite: 0),
        "gpt-4o": Price(input: 2.5, output: 10, cacheRead: 1.25, cacheWrite: 0),
        "gpt-4.1-mini": Price(input: 0.4, output: 1.6, cacheRead: 0.1, cacheWrite: 0),
        "gpt-4.1": Price(input: 2, output: 8, cacheRead: 0.5, cacheWrite: 0),
        "gpt-5-mini": Price(input: 0.25, output: 2, cacheRead: 0.025, cacheWrite: 0),
        "gpt-5": Price(input: 1.25, output: 10, cacheRead: 0.125, cacheWrite: 0),
        "gemini-2.5-flash": Price(input: 0.3, output: 2.5, cacheRead: 0.03, cacheWrite: 0),
        "gemini-2.5-pro": Price(input: 1.25, output: 10, cacheRead: 0.125, cacheWrite: 0),
        "deepseek-chat": Price(input: 0.28, output: 0.42, cacheRead: 0.028, cacheWrite: 0),
        "deepseek-reasoner": Price(input: 0.28, output: 0.42, cacheRead: 0.028, cacheWrite: 0),
    ]

    /// The price for `model`, by longest matching prefix; nil when unknown.
    public static func price(model: String) -> Price? {
        let name = model.lowercased()
        let match = table.keys.filter { name.hasPrefix($0) }.max { $0.count < $1.count }
        return match.flatMap { table[$0] }
    }

    /// The estimated cost of `usage` in US dollars, or nil when the model's price is unknown.
    public static func cost(model: String, usage: TokenUsage) -> Double? {
        guard let price = price(model: model) else { return nil }
        let dollars = Double(usage.input) * price.input + Double(usage.output) * price.output
            + Double(usage.cacheRead) * price.cacheRead + Double(usage.cacheWrite) * price.cacheWrite
        return dollars / 1_000_000
    }
}
