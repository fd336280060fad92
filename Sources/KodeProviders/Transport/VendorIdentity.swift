/// What error messages may say about the vendor: its name and the variable that holds its key.
/// The key itself is only kept so that it can be scrubbed from any text shown to people.
struct VendorIdentity: Sendable {
    /// `anthropic`, `openai`, `gemini`.
    var name: String
    /// `ANTHROPIC_API_KEY` and so on, for the "check …" hint.
    var keyVariable: String
    /// The key in use, only for redaction.
    var secret: String?
}
