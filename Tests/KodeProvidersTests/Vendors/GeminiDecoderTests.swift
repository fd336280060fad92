import KodeKernel
import KodeProviders
import Testing

@Suite("Gemini stream decoding")
struct GeminiDecoderTests {
    @Test func plainTextWithUsage() throws {
        let events = try Decode.events(Transcripts.Gemini.text, GeminiStreamDecoder())
        #expect(events == [
            .messageStart(id: "resp-1", model: "gemini-2.5-flash"),
            .textDelta("Hello"),
            .usage(TokenUsage(input: 12, output: 1)),
            .textDelta(", wörld ✓ 😀"),
            .usage(TokenUsage(input: 12, output: 5)),
            .usage(TokenUsage(input: 8, output: 6, cacheRead: 4)),
            .messageStop(.endTurn),
        ])
    }

    @Test func thoughtsSignatureAndTwoFunctionCalls() throws {
        let events = try Decode.events(Transcripts.Gemini.thoughtsAndTools, GeminiStreamDecoder())
        #expect(events.count == 11)
        #expect(Array(events.prefix(3)) == [
            .messageStart(id: "resp-2", model: "gemini-2.5-flash"),
            .thinkingDelta("Need both files."),
            .thinkingSignature("CiQB0e2Kb7sig=="),
        ])
        let firstID = try #require(Self.readCallID(events[3], index: 0), "expected a tool start, got \(events)")
        let secondID = try #require(Self.readCallID(events[6], index: 1), "expected a tool start, got \(events)")
        #expect(firstID != secondID)
        #expect(events[4] == .toolInputDelta(index: 0, json: #"{"path":"a.txt"}"#))
        #expect(events[5] == .toolUseEnd(index: 0))
        #expect(events[7] == .toolInputDelta(index: 1, json: #"{"path":"b.txt"}"#))
        #expect(events[8] == .toolUseEnd(index: 1))
        #expect(events[9] == .usage(TokenUsage(input: 80, output: 35)))
        #expect(events[10] == .messageStop(.toolUse))
    }

    @Test func endWithoutFinishReasonIsStreamCut() throws {
        let error = try #require(Decode.failure(Transcripts.Gemini.cut, GeminiStreamDecoder()), "expected an error")
        #expect(error.kind == .streamCut)
    }

    @Test func errorChunkThrows() throws {
        let text = Transcripts.sse([(nil, #"{"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}"#)])
        let error = try #require(Decode.failure(text, GeminiStreamDecoder()), "expected an error")
        #expect(error.kind == .rateLimited)
        #expect(error.message.contains("The model is overloaded."))
    }

    /// The id of an `fs_read` call starting at `index`, or nil for any other event.
    private static func readCallID(_ event: ModelStreamEvent, index: Int) -> String? {
        guard case .toolUseStart(index, let id, "fs_read") = event else { return nil }
        return id
    }
}
