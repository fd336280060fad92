import KodeProviders
import Testing

@Suite("Text shown to people")
struct SafeTextTests {
    @Test func keysAndControlCharactersNeverSurvive() {
        let text = "bad key sk-live-0123456789 \u{1B}[31mred\u{1B}[0m\nnext"
        let cleaned = SafeText.clean(text, hiding: "sk-live-0123456789")
        #expect(cleaned == "bad key [redacted]  [31mred [0m next")
    }

    @Test func longVendorMessagesAreCut() {
        let cleaned = SafeText.clean(String(repeating: "x", count: 2000), hiding: nil, limit: 100)
        #expect(cleaned.count == 101)
        #expect(cleaned.hasSuffix("…"))
    }

    @Test func baseURLsJoinAndLoopbackIsRecognised() {
        #expect(BaseURL.join("http://h/v1/", "/chat/completions") == "http://h/v1/chat/completions")
        #expect(BaseURL.isLoopback("http://127.0.0.2:9/v1"))
        #expect(BaseURL.isLoopback("http://LOCALHOST:11434"))
        #expect(!BaseURL.isLoopback("https://127.example.com/v1"))
        #expect(!BaseURL.isLoopback("https://api.openai.com/v1"))
    }
}
