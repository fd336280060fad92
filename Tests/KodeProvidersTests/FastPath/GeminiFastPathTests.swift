@_spi(KodeInternals) import KodeKernel
import Testing

import KodeProviders

/// The byte walk for Gemini chunks must decode every chunk exactly as the general path does,
/// and must actually be the path taken for the shapes a reply is made of.
@Suite("Gemini fast path")
struct GeminiFastPathTests {
    static let first = #"{"candidates":[{"content":{"parts":[{"text":"Hello "}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":1,"totalTokenCount":13},"modelVersion":"gemini-2.5-flash","responseId":"resp-f"}"#
    static let last = #"{"candidates":[{"content":{"parts":[{"text":""}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":9,"cachedContentTokenCount":4}}"#

    /// Chunks in every shape the fast path reads, and a few it must hand back.
    static let chunks: [String] = [
        #"{"candidates":[{"content":{"parts":[{"text":"plain "}],"role":"model"},"index":0}],"modelVersion":"gemini-2.5-flash","responseId":"r"}"#,
        #"{"usageMetadata":{"candidatesTokenCount":2,"promptTokenCount":12},"candidates":[{"index":0,"content":{"role":"model","parts":[{"text":"reordered "}]}}]}"#,
        " {\t\"candidates\" : [ { \"content\" : { \"parts\" : [ { \"text\" : \"spaced \" } ] } } ] } ",
        #"{"candidates":[{"content":{"parts":[{"text":"esc\n\t\"q\" \\ \u00e9 \ud83d\ude00 "}]}}]}"#,
        #"{"candidates":[{"content":{"parts":[{"text":"wörld ✓ 😀 日本 "}]}}]}"#,
        #"{"c\u0061ndidates":[{"content":{"p\u0061rts":[{"t\u0065xt":"escaped names "}]}}]}"#,
        #"{"candidates":[{"content":{"parts":[{"text":"a thought ","thought":true},{"text":"an answer "},{"text":"","thoughtSignature":"c2ln"}]}}]}"#,
        #"{"candidates":[{"content":{"parts":[{"text":"not a thought ","thought":"true"}]}}]}"#,
        #"{"candidates":[{"content":{"parts":[{"text":null},{"text":5},{"thoughtSignature":""}]}}]}"#,
        #"{"candidates":[{"content":{"parts":[{"text":"first candidate "}]}},{"content":{"parts":[{"text":"second"}]}}]}"#,
        #"{"candidates":[{"content":{"parts":[{"text":"dropped"}]}}],"candidates":[{"content":{"parts":[{"text":"last candidates wins "}]}}]}"#,
        #"{"candidates":[{"content":{"parts":[{"text":"dropped"}]},"content":{"parts":[{"text":"last content wins "}]}}]}"#,
        #"{"candidates":[{"content":{"parts":[{"text":"dropped"}],"parts":[{"text":"last parts wins "}]}}]}"#,
        #"{"candidates":[],"usageMetadata":{"promptTokenCount":12.0,"candidatesTokenCount":"3","thoughtsTokenCount":2}}"#,
        #"{"candidates":[{"content":{"parts":[{"text":"noise "}]},"safetyRatings":[{"category":"HARM","probability":"NEGLIGIBLE"}],"citationMetadata":{}}],"createTime":"2025","avgLogprobs":-0.5}"#,
        #"{"candidates":[{"content":{"parts":[{"functionCall":{"name":"fs_read","args":{"path":"a\\b é"},"id":"fc-1"},"thoughtSignature":"c2lnMg=="}]},"finishReason":null}]}"#,
        #"{"candidates":[{"content":{"parts":[{"text":"unspecified "}]},"finishReason":"FINISH_REASON_UNSPECIFIED"}]}"#,
        #"{"candidates":{"not":"a list"}}"#,
        #"{"candidates":[{"content":"not an object"}]}"#,
        #"{"candidates":[{"content":{"parts":["not an object",{"text":"after a string part "}]}}]}"#,
        #"{"candidates":["not an object"]}"#,
        #"{"candidates":[{"content":{"parts":{"text":"parts not a list"}}}]}"#,
    ]

    /// Chunks that end the stream with an error, each after the same first chunk.
    static let failures: [String] = [
        #"{"candidates":[{"content":{"parts":[{"text":"x"}]}}],"createTime":"\q"}"#,
        #"{"candidates":[{"content":{"parts":[{"text":"x"}]}}]} trailing"#,
        #"{"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}"#,
        #"{"error":null}"#,
        #"{"promptFeedback":{"blockReason":"SAFETY"}}"#,
        #"{"candidates":[{"content":{"parts":[{"functionCall":{"args":{}}}]}}]}"#,
        #"[1]"#,
        #"{"candidates":[{"content":{"parts":[{"text":"unterminated}]}}]}"#,
    ]

    static func transcript(_ chunks: [String]) -> String {
        Transcripts.sse(([first] + chunks + [last]).map { (nil, $0) })
    }

    private func both(_ text: String) -> (fast: Differential.Outcome, general: Differential.Outcome) {
        Differential.fastAndGeneral(text, GeminiStreamDecoder.self)
    }

    @Test func everyChunkShapeDecodesAsTheGeneralPathDecodesIt() {
        for chunk in Self.chunks {
            let (fast, general) = both(Self.transcript([chunk]))
            #expect(fast.withoutIDs == general.withoutIDs, "\(chunk)")
            #expect(general.error == nil, "\(chunk)")
        }
        let (fast, general) = both(Self.transcript(Self.chunks))
        #expect(fast.withoutIDs == general.withoutIDs)
    }

    @Test func decodedEventsAreExact() {
        let events = Differential.run(Self.transcript(Array(Self.chunks[3...7]) + [Self.chunks[13], Self.chunks[15]]), GeminiStreamDecoder()).events
        #expect(events == [
            .messageStart(id: "resp-f", model: "gemini-2.5-flash"),
            .textDelta("Hello "),
            .usage(TokenUsage(input: 12, output: 1)),
            .textDelta("esc\n\t\"q\" \\ é 😀 wörld ✓ 😀 日本 escaped names "),
            .thinkingDelta("a thought "),
            .textDelta("an answer "),
            .thinkingSignature("c2ln"),
            .textDelta("not a thought "),
            .usage(TokenUsage(input: 12, output: 2)),
            .thinkingSignature("c2lnMg=="),
            .toolUseStart(index: 0, id: "fc-1", name: "fs_read"),
            .toolInputDelta(index: 0, json: #"{"path":"a\\b é"}"#),
            .toolUseEnd(index: 0),
            .usage(TokenUsage(input: 8, output: 9, cacheRead: 4)),
            .messageStop(.toolUse),
        ])
    }

    @Test func failuresAreTheGeneralPathsFailures() {
        for chunk in Self.failures {
            let (fast, general) = both(Self.transcript([chunk]))
            #expect(fast == general, "\(chunk)")
            #expect(fast.error != nil, "\(chunk)")
        }
    }

    @Test func splitAnywhereTheMixedTranscriptDecodesTheSame() {
        #expect(Differential.splitMismatches(Self.transcript(Self.chunks), GeminiStreamDecoder(), ignoringIDs: true) == 0)
    }

    @Test func theFastPathIsTakenForTheUsualShapes() {
        var scratch = FastJSONParser.Scratch()
        var chunk = GeminiChunk()
        for json in [Self.first, Self.last] + Self.chunks.prefix(17) {
            #expect(Differential.withBytes(json) { GeminiFastPath.read($0, needsIdentity: true, into: &chunk, scratch: &scratch) }, "\(json)")
        }
        for json in Self.chunks.suffix(5) + Self.failures.filter({ !$0.contains("functionCall") }) {
            #expect(!Differential.withBytes(json) { GeminiFastPath.read($0, needsIdentity: true, into: &chunk, scratch: &scratch) }, "\(json)")
        }
    }
}
