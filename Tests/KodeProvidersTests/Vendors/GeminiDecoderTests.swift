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
        guard case .toolUseStart(0, let firstID, "fs_read") = events[3],
            case .toolUseStart(1, let secondID, "fs_read") = events[6]
        else {
            Issue.record("expected two tool starts, got \(events)")
            return
        }
        #expect(firstID != secondID)
        #expect(events[4] == .toolInputDelta(index: 0, json: #"{"path":"a.txt"}"#))
        #expect(events[5] == .toolUseEnd(index: 0))
        #expect(events[7] == .toolInputDelta(index: 1, json: #"{"path":"b.txt"}"#))
        #expect(events[8] == .toolUseEnd(index: 1))
        #expect(events[9] == .usage(TokenUsage(input: 80, output: 35)))
        #expect(events[10] == .messageStop(.toolUse))
    }

    @Test func endWithoutFinishReasonIsStreamCut() {
        guard case .failure(let error) = Decode.outcome(Transcripts.Gemini.cut, GeminiStreamDecoder()) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.kind == .streamCut)
    }

    @Test func errorChunkThrows() {
        let text = Transcripts.sse([(nil, #"{"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}"#)])
        guard case .failure(let error) = Decode.outcome(text, GeminiStreamDecoder()) else { Issue.record("expected an error"); return }
        #expect(error.kind == .rateLimited)
        #expect(error.message.contains("The model is overloaded."))
    }
}
