/// The model each vendor uses when none is named: the one place to change them.
public enum DefaultModels {
    /// Anthropic: a capable, fast Claude model.
    public static let anthropic = "claude-sonnet-4-5"
    /// OpenAI: small and cheap.
    public static let openai = "gpt-4o-mini"
    /// Gemini: the fast thinking model.
    public static let gemini = "gemini-2.5-flash"

    /// The default model for `provider`, or nil for a name this module does not serve.
    public static func model(for provider: String) -> String? {
        switch provider {
        case "anthropic": return anthropic
        case "openai": return openai
        case "gemini": return gemini
        default: return nil
        }
    }
}
