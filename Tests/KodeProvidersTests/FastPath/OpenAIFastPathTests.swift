@_spi(KodeInternals) import KodeKernel
import Testing

import KodeProviders

/// The byte walk for chat completion chunks must decode every chunk exactly as the general path
/// does, and must actually be the path taken for the shapes a reply is made of.
@Suite("OpenAI-compatible fast path")
struct OpenAIFastPathTests {
    static let first = #"{"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"model":"gpt-4o-mini","id":"chatcmpl-f"}"#

    /// Chunks in every shape the fast path reads, and a few it must hand back.
    static let chunks: [String] = [
        #"{"id":"chatcmpl-f","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"plain "},"finish_reason":null}]}"#,
        #"{"choices":[{"finish_reason":null,"delta":{"content":"reordered "},"index":0}],"model":"m","id":"i"}"#,
        " {\t\"choices\" : [ { \"delta\" : { \"content\" : \"spaced \" } , \"finish_reason\" : null } ] } ",
        #"{"choices":[{"delta":{"content":"esc\n\t\"q\" \\ \u00e9 \ud83d\ude00 "}}]}"#,
        #"{"choices":[{"delta":{"content":"wörld ✓ 😀 日本 "}}]}"#,
        #"{"ch\u006fices":[{"delta":{"c\u006fntent":"escaped names "}}]}"#,
        #"{"choices":[{"delta":{"reasoning_content":"why ","content":"and what "}}]}"#,
        #"{"choices":[{"delta":{"reasoning":"local reasoning "}}]}"#,
        #"{"choices":[{"delta":{"reasoning":"second","reasoning_content":"first "}}]}"#,
        #"{"choices":[{"delta":{"content":null,"reasoning_content":null}}]}"#,
        #"{"choices":[{"delta":{"content":5}}]}"#,
        #"{"choices":[{"delta":{"content":"first choice "}},{"delta":{"content":"second choice"}}]}"#,
        #"{"choices":[{"delta":{"content":"dropped"}}],"choices":[{"delta":{"content":"last choices wins "}}]}"#,
        #"{"choices":[{"delta":{"content":"dropped"},"delta":{"content":"last delta wins "}}]}"#,
        #"{"choices":[],"usage":null}"#,
        #"{"choices":[{"delta":{"content":"with noise "},"logprobs":{"content":[{"token":"x","logprob":-0.1}]}}],"system_fingerprint":"fp","service_tier":"default","obfuscation":"abc","error":null}"#,
        #"{"choices":[{"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"fs_read","arguments":""}}]}}]}"#,
        #"{"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"path\": \"a\\\\b"}}]}}]}"#,
        #"{"choices":[{"delta":{"tool_calls":[{"function":{"arguments":" \u00e9\"}"}}]}}]}"#,
        #"{"choices":[{"delta":{"tool_calls":[{"index":1,"id":"call_b","function":{"name":"fs_list","arguments":"{}"}}]}}]}"#,
        #"{"choices":[{"delta":{"tool_calls":"not a list"}}]}"#,
        #"{"choices":"not a list"}"#,
        #"{"choices":[{"delta":"not an object"}]}"#,
        #"{"choices":["not an object"]}"#,
        #"{"choices":[{"delta":{},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":70,"completion_tokens":30,"prompt_tokens_details":{"cached_tokens":60}}}"#,
        #"{"choices":[],"usage":{"prompt_tokens":71,"completion_tokens":31,"prompt_cache_hit_tokens":64}}"#,
    ]

    /// Chunks that end the stream with an error, each after the same first chunk.
    static let failures: [String] = [
        #"{"choices":[{"delta":{"content":"x"}}],"system_fingerprint":"\q"}"#,
        #"{"choices":[{"delta":{"content":"x"}}]} trailing"#,
        #"{"choices":[{"delta":{"content":"x"}}],"error":{"message":"Rate limit reached","type":"rate_limit"}}"#,
        #"{"error":{"message":"boom","code":"server_error"}}"#,
        #"{"choices":[{"delta":{"tool_calls":[{"index":3,"function":{"arguments":"{}"}}]}}]}"#,
        #"[1]"#,
        #""text""#,
        #"{"choices":[{"delta":{"content":"unterminated}}]}"#,
    ]

    static func transcript(_ chunks: [String], done: Bool = true) -> String {
        Transcripts.sse(([first] + chunks).map { (nil, $0) } + (done ? [(nil, "[DONE]")] : []))
    }

    private func both(_ text: String) -> (fast: Differential.Outcome, general: Differential.Outcome) {
        Differential.fastAndGeneral(text, OpenAIStreamDecoder.self)
    }

    @Test func everyChunkShapeDecodesAsTheGeneralPathDecodesIt() {
        // Alone, a tool call's later pieces are an error (arguments before a name); both paths
        // must report it the same way.
        for chunk in Self.chunks {
            let (fast, general) = both(Self.transcript([chunk]))
            #expect(fast.withoutIDs == general.withoutIDs, "\(chunk)")
        }
        let (fast, general) = both(Self.transcript(Self.chunks))
        #expect(fast.withoutIDs == general.withoutIDs)
        #expect(general.error == nil)
    }

    @Test func decodedEventsAreExact() {
        let events = Differential.run(Self.transcript(Array(Self.chunks.prefix(9))), OpenAIStreamDecoder()).events
        #expect(events == [
            .messageStart(id: "chatcmpl-f", model: "gpt-4o-mini"),
            .textDelta("plain reordered spaced esc\n\t\"q\" \\ é 😀 wörld ✓ 😀 日本 escaped names "),
            .thinkingDelta("why "),
            .textDelta("and what "),
            .thinkingDelta("local reasoning first "),
            .messageStop(.endTurn),
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
        #expect(Differential.splitMismatches(Self.transcript(Self.chunks), OpenAIStreamDecoder(), ignoringIDs: true) == 0)
    }

    @Test func theFastPathIsTakenForTheUsualShapes() {
        var scratch = FastJSONParser.Scratch()
        for chunk in [Self.first] + Self.chunks.prefix(20) + Self.chunks.suffix(2) {
            #expect(Differential.withBytes(chunk) { OpenAIFastPath.read($0, needsIdentity: true, scratch: &scratch) } != nil, "\(chunk)")
        }
        let handedBack = Self.chunks[21...23] + Self.failures.filter { !$0.contains("index\":3") }
        for json in handedBack {
            #expect(Differential.withBytes(json) { OpenAIFastPath.read($0, needsIdentity: true, scratch: &scratch) } == nil, "\(json)")
        }
    }

    @Test func identityIsReadOnlyWhileNeeded() {
        var scratch = FastJSONParser.Scratch()
        let chunk = Differential.withBytes(Self.first) { OpenAIFastPath.read($0, needsIdentity: false, scratch: &scratch) }
        #expect(chunk?.id == nil && chunk?.model == nil)
        let firstChunk = Differential.withBytes(Self.first) { OpenAIFastPath.read($0, needsIdentity: true, scratch: &scratch) }
        #expect(firstChunk?.id == "chatcmpl-f" && firstChunk?.model == "gpt-4o-mini")
    }
}
