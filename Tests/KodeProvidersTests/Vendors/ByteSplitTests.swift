import Foundation
import KodeKernel
import KodeProviders
import Testing

/// Every transcript, cut at every byte boundary (and into 1-, 3- and 7-byte pieces), must decode
/// to exactly what the whole transcript decodes to: events, or the same error.
@Suite("Transcripts split at every byte")
struct ByteSplitTests {
    static let anthropic: [(String, String)] = [
        ("text", Transcripts.Anthropic.text), ("thinking+tools", Transcripts.Anthropic.thinkingAndTools),
        ("overloaded", Transcripts.Anthropic.overloadedMidStream), ("cut", Transcripts.Anthropic.cutBeforeStop),
    ]
    static let openai: [(String, String)] = [
        ("text", Transcripts.OpenAI.text), ("reasoning+tools", Transcripts.OpenAI.reasoningAndTools),
        ("error", Transcripts.OpenAI.midStreamError),
    ]
    static let gemini: [(String, String)] = [
        ("text", Transcripts.Gemini.text), ("thoughts+tools", Transcripts.Gemini.thoughtsAndTools), ("cut", Transcripts.Gemini.cut),
    ]

    @Test(arguments: anthropic.map(\.0))
    func anthropicTranscript(_ name: String) {
        let text = Self.anthropic.first { $0.0 == name }!.1
        check(text, AnthropicStreamDecoder())
    }

    @Test(arguments: openai.map(\.0))
    func openAITranscript(_ name: String) {
        check(Self.openai.first { $0.0 == name }!.1, OpenAIStreamDecoder(), idsVary: false)
    }

    @Test(arguments: gemini.map(\.0))
    func geminiTranscript(_ name: String) {
        // Gemini function calls carry no ids, so the decoder makes fresh ones: compare without them.
        check(Self.gemini.first { $0.0 == name }!.1, GeminiStreamDecoder(), idsVary: true)
    }

    @Test func crlfLineEndsDecodeTheSame() {
        let lf = Transcripts.Anthropic.thinkingAndTools
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
        let cr = lf.replacingOccurrences(of: "\n", with: "\r")
        let expected = Decode.outcome(lf, AnthropicStreamDecoder())
        for variant in [crlf, cr] {
            for cut in stride(from: 0, through: variant.utf8.count, by: 5) {
                #expect(Decode.outcome(variant, AnthropicStreamDecoder(), cuts: [cut]) == expected)
            }
        }
    }

    private func check<D: ModelStreamDecoder>(_ text: String, _ decoder: D, idsVary: Bool = false) {
        let whole = strip(Decode.outcome(text, decoder), idsVary)
        if case .success(let events) = whole { #expect(!events.isEmpty) }
        var mismatches = 0
        for cuts in Decode.cutPatterns(length: text.utf8.count) {
            if strip(Decode.outcome(text, decoder, cuts: cuts), idsVary) != whole {
                mismatches += 1
                if mismatches <= 3 { Issue.record("different result with cuts \(cuts.prefix(5))…") }
            }
        }
        #expect(mismatches == 0)
    }

    private func strip(_ outcome: Result<[ModelStreamEvent], ModelError>, _ idsVary: Bool) -> Result<[ModelStreamEvent], ModelError> {
        guard idsVary else { return outcome }
        return outcome.map { events in
            events.map { event in
                if case .toolUseStart(let index, _, let name) = event { return .toolUseStart(index: index, id: "", name: name) }
                return event
            }
        }
    }
}
