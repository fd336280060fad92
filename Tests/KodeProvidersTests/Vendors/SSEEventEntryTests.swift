import KodeKernel
import KodeProviders
import Testing

/// A decoder fed whole `SSEEvent`s (their `data` as a String) must decode exactly as it decodes
/// the same events straight off the wire as bytes.
@Suite("Decoding SSEEvent values")
struct SSEEventEntryTests {
    /// `text` split into `SSEEvent`s first, then decoded event by event.
    private func viaEvents<D: ModelStreamDecoder>(_ text: String, _ decoder: D) -> Result<[ModelStreamEvent], ModelError> {
        var sse = SSEDecoder()
        var events: [SSEEvent] = []
        sse.decode(Array(text.utf8), into: &events)
        sse.finish(into: &events)
        var decoder = decoder
        var output: [ModelStreamEvent] = []
        do throws(ModelError) {
            for event in events where !decoder.isComplete { try decoder.decode(event, into: &output) }
            try decoder.finish(into: &output)
            return .success(Decode.normalize(output))
        } catch {
            return .failure(error)
        }
    }

    @Test func everyVendorDecodesEventsAsItDecodesBytes() {
        for text in [Transcripts.Anthropic.thinkingAndTools, Transcripts.Anthropic.overloadedMidStream] {
            #expect(viaEvents(text, AnthropicStreamDecoder()) == Decode.outcome(text, AnthropicStreamDecoder()))
        }
        for text in [Transcripts.OpenAI.text, Transcripts.OpenAI.midStreamError] {
            #expect(viaEvents(text, OpenAIStreamDecoder()) == Decode.outcome(text, OpenAIStreamDecoder()))
        }
        #expect(viaEvents(Transcripts.Gemini.text, GeminiStreamDecoder()) == Decode.outcome(Transcripts.Gemini.text, GeminiStreamDecoder()))
    }
}
