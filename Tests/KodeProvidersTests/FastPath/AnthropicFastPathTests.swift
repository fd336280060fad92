@_spi(KodeInternals) import KodeKernel
import Testing

import KodeProviders

/// The byte walk for Anthropic deltas must decode every event exactly as the general path does,
/// and must actually be the path taken for the shapes a reply is made of.
@Suite("Anthropic fast path")
struct AnthropicFastPathTests {
    static let start = Transcripts.sse([
        ("message_start", #"{"type":"message_start","message":{"id":"msg_f","model":"claude-sonnet-4-5","usage":{"input_tokens":3,"output_tokens":1}}}"#),
        ("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#),
        ("content_block_start", #"{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_f","name":"fs_read","input":{}}}"#),
    ])
    static let end = Transcripts.sse([
        ("content_block_stop", #"{"type":"content_block_stop","index":0}"#),
        ("content_block_stop", #"{"index":1,"type":"content_block_stop"}"#),
        ("message_delta", #"{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":9}}"#),
        ("message_stop", #"{"type":"message_stop"}"#),
    ])

    /// Deltas in every shape the fast path reads, and a few it must hand back.
    static let deltas: [String] = [
        #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"plain "}}"#,
        #"{"delta":{"text":"reordered ","type":"text_delta"},"index":0,"type":"content_block_delta"}"#,
        " { \"type\" : \"content_block_delta\" ,\t \"index\" : 0 ,\t\"delta\" : { \"type\" : \"text_delta\" , \"text\" : \"spaced \" } } ",
        #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"esc\n\t\"q\" \\ \/ \u00e9 \ud83d\ude00 \ud800 lone "}}"#,
        #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"wörld ✓ 😀 日本 "}}"#,
        #"{"ty\u0070e":"content_block_delta","index":0,"delta":{"type":"text_delta","t\u0065xt":"escaped names "}}"#,
        #"{"type":"content_block_\u0064elta","index":0,"delta":{"type":"text_\u0064elta","text":"escaped type "}}"#,
        #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"extra ","more":[1,{"a":null}]},"meta":{"z":1.5e3}}"#,
        #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"first "},"delta":{"type":"text_delta","text":"second "}}"#,
        #"{"type":"content_block_delta","index":0.0,"delta":{"type":"text_delta","text":"double index "}}"#,
        #"{"index":0,"delta":{"type":"text_delta","text":"no type member "}}"#,
        #"{"type":5,"index":0,"delta":{"type":"text_delta","text":"numeric type member "}}"#,
        #"{"type":"content_block_delta","index":0,"delta":{"type":"citations_delta","citation":{"cited_text":"x"}}}"#,
        #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":null}}"#,
        #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":7}}"#,
        #"{"type":"content_block_delta","index":0,"delta":{"type":7,"text":"numeric delta type"}}"#,
        #"{"type":"content_block_delta","index":0,"delta":"not an object"}"#,
        #"{"type":"content_block_delta","index":0,"delta":{"text":"no delta type"}}"#,
        #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"both ","thinking":"ignored"}}"#,
        #"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"thought "}}"#,
        #"{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"c2ln"}}"#,
        #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}"#,
        #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"path\": \"a\\\\b \u00e9"}}"#,
        #"{"type":"content_block_delta","index":1,"delta":{"partial_json":"\"}","type":"input_json_delta"}}"#,
        #"{"type":"ping","extra":{"a":[]}}"#,
        #"{"type":"content_block_stop","index":7}"#,
    ]

    /// Events that end the stream with an error, each after the same start.
    static let failures: [String] = [
        #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"},"junk":"\q"}"#,
        #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}} trailing"#,
        #"{"type":"content_block_delta","index":"0","delta":{"type":"text_delta","text":"x"}}"#,
        #"{"type":"content_block_delta","delta":{"type":"text_delta","text":"x"}}"#,
        #"{"type":"content_block_stop"}"#,
        #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"unterminated}}"#,
        #"[1,2]"#,
        #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
    ]

    static func transcript(_ deltas: [String]) -> String {
        start + Transcripts.sse(deltas.map { ("content_block_delta", $0) }) + end
    }

    private func both(_ text: String) -> (fast: Differential.Outcome, general: Differential.Outcome) {
        Differential.fastAndGeneral(text, AnthropicStreamDecoder.self)
    }

    @Test func everyDeltaShapeDecodesAsTheGeneralPathDecodesIt() {
        for delta in Self.deltas {
            let (fast, general) = both(Self.transcript([delta]))
            #expect(fast == general, "\(delta)")
            #expect(general.error == nil, "\(delta)")
        }
        let (fast, general) = both(Self.transcript(Self.deltas))
        #expect(fast == general)
    }

    @Test func decodedTextIsExact() {
        let text = Differential.run(Self.transcript(Array(Self.deltas.prefix(9))), AnthropicStreamDecoder()).events.compactMap { event -> String? in
            if case .textDelta(let text) = event { return text }
            return nil
        }
        #expect(text == ["plain reordered spaced esc\n\t\"q\" \\ / é 😀 \u{FFFD} lone wörld ✓ 😀 日本 escaped names escaped type extra second "])
    }

    @Test func failuresAreTheGeneralPathsFailures() {
        for event in Self.failures {
            let (fast, general) = both(Self.transcript([event]))
            #expect(fast == general, "\(event)")
            #expect(fast.error != nil, "\(event)")
        }
    }

    @Test func splitAnywhereTheMixedTranscriptDecodesTheSame() {
        let text = Self.transcript(Self.deltas)
        #expect(Differential.splitMismatches(text, AnthropicStreamDecoder(), ignoringIDs: false) == 0)
        #expect(Differential.run(text, AnthropicStreamDecoder(), cuts: Array(stride(from: 1, to: text.utf8.count, by: 1))) == Differential.run(text, AnthropicStreamDecoder()))
    }

    @Test func theFastPathIsTakenForTheUsualShapes() {
        var scratch = FastJSONParser.Scratch()
        for delta in Self.deltas.prefix(10) + Self.deltas.suffix(7) {
            #expect(Differential.withBytes(delta) { AnthropicFastPath.read($0, scratch: &scratch) } != nil, "\(delta)")
        }
        let handedBack = [
            #"{"type":"message_start","message":{}}"#, #"{"index":0,"delta":{"type":"text_delta","text":"x"}}"#,
            #"{"type":"content_block_delta","index":0,"delta":"x"}"#,
        ] + Self.failures
        for json in handedBack {
            #expect(Differential.withBytes(json) { AnthropicFastPath.read($0, scratch: &scratch) } == nil, "\(json)")
        }
    }
}
