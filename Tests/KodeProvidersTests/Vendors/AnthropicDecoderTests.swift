import KodeKernel
import KodeProviders
import Testing

@Suite("Anthropic stream decoding")
struct AnthropicDecoderTests {
    @Test func plainTextWithUsage() throws {
        let events = try Decode.events(Transcripts.Anthropic.text, AnthropicStreamDecoder())
        #expect(events == [
            .messageStart(id: "msg_01A", model: "claude-sonnet-4-5"),
            .usage(TokenUsage(input: 25, output: 1, cacheRead: 10, cacheWrite: 5)),
            .textDelta("Hello, wörld ✓ 😀\n\"quoted\""),
            .usage(TokenUsage(input: 25, output: 12, cacheRead: 10, cacheWrite: 5)),
            .messageStop(.endTurn),
        ])
    }

    @Test func thinkingSignatureAndTwoToolCalls() throws {
        let events = try Decode.events(Transcripts.Anthropic.thinkingAndTools, AnthropicStreamDecoder())
        #expect(events == [
            .messageStart(id: "msg_01B", model: "claude-sonnet-4-5"),
            .usage(TokenUsage(input: 100, output: 1)),
            .thinkingDelta("I should read both files."),
            .thinkingSignature("EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"),
            .textDelta("Reading them."),
            .toolUseStart(index: 2, id: "toolu_01", name: "fs_read"),
            .toolInputDelta(index: 2, json: #"{"path": "a.txt"}"#),
            .toolUseEnd(index: 2),
            .toolUseStart(index: 3, id: "toolu_02", name: "fs_read"),
            .toolInputDelta(index: 3, json: #"{"path": "b.txt"}"#),
            .toolUseEnd(index: 3),
            .usage(TokenUsage(input: 100, output: 89)),
            .messageStop(.toolUse),
        ])
    }

    @Test func overloadedErrorMidStreamIsRateLimited() throws {
        let error = try #require(Decode.failure(Transcripts.Anthropic.overloadedMidStream, AnthropicStreamDecoder()), "expected an error")
        #expect(error.kind == .rateLimited)
        #expect(error.message.contains("overloaded_error"))
        #expect(error.message.contains("Overloaded"))
    }

    @Test func endWithoutMessageStopIsStreamCut() throws {
        let error = try #require(Decode.failure(Transcripts.Anthropic.cutBeforeStop, AnthropicStreamDecoder()), "expected an error")
        #expect(error.kind == .streamCut)
    }

    @Test func malformedJSONNamesTheEvent() throws {
        let text = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"oops}\n\n"
        let error = try #require(Decode.failure(text, AnthropicStreamDecoder()), "expected an error")
        #expect(error.kind == .malformed)
        #expect(error.message.contains("content_block_delta"))
        #expect(error.message.contains("at byte"))
    }
}
