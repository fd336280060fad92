import KodeKernel
import KodeProviders
import Testing

@Suite("OpenAI-compatible stream decoding")
struct OpenAIDecoderTests {
    @Test func plainTextWithCachedUsage() throws {
        let events = try Decode.events(Transcripts.OpenAI.text, OpenAIStreamDecoder())
        #expect(events == [
            .messageStart(id: "chatcmpl-1", model: "gpt-4o-mini"),
            .textDelta("Hello, wörld ✓ 😀"),
            .usage(TokenUsage(input: 30, output: 9, cacheRead: 20)),
            .messageStop(.endTurn),
        ])
    }

    @Test func reasoningAndInterleavedToolCallsByIndex() throws {
        let events = try Decode.events(Transcripts.OpenAI.reasoningAndTools, OpenAIStreamDecoder())
        #expect(events == [
            .messageStart(id: "chatcmpl-2", model: "deepseek-reasoner"),
            .thinkingDelta("Two files to read."),
            .toolUseStart(index: 0, id: "call_a", name: "fs_read"),
            .toolInputDelta(index: 0, json: #"{"path":"#),
            .toolUseStart(index: 1, id: "call_b", name: "fs_read"),
            .toolInputDelta(index: 1, json: #"{"path":"b.txt"}"#),
            .toolInputDelta(index: 0, json: #" "a.txt"}"#),
            .toolUseEnd(index: 0),
            .toolUseEnd(index: 1),
            .usage(TokenUsage(input: 6, output: 30, cacheRead: 64)),
            .messageStop(.toolUse),
        ])
    }

    @Test func errorObjectMidStreamThrows() throws {
        let error = try #require(Decode.failure(Transcripts.OpenAI.midStreamError, OpenAIStreamDecoder()), "expected an error")
        #expect(error.kind == .server)
        #expect(error.message.contains("The server had an error"))
    }

    @Test func endWithoutDoneOrFinishIsStreamCut() throws {
        let text = Transcripts.sse([(nil, #"{"id":"x","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}"#)])
        let error = try #require(Decode.failure(text, OpenAIStreamDecoder()), "expected an error")
        #expect(error.kind == .streamCut)
    }

    @Test func finishReasonWithoutDoneStillCompletes() throws {
        let text = Transcripts.sse([
            (nil, #"{"id":"x","model":"llama","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}"#),
            (nil, #"{"id":"x","model":"llama","choices":[{"index":0,"delta":{},"finish_reason":"length"}]}"#),
        ])
        let events = try Decode.events(text, OpenAIStreamDecoder())
        #expect(events.last == .messageStop(.maxTokens))
    }
}
