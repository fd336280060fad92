import Foundation

/// Wire transcripts written from each vendor's documented streaming format. They are the
/// fixtures the decoders are checked against, whole and split at every byte.
enum Transcripts {
    /// Builds an SSE body from (event name or nil, data) pairs with LF line ends.
    static func sse(_ events: [(String?, String)]) -> String {
        events.map { name, data in (name.map { "event: \($0)\n" } ?? "") + "data: \(data)\n\n" }.joined()
    }

    enum Anthropic {
        static let text = sse([
            ("message_start", #"{"type":"message_start","message":{"id":"msg_01A","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"usage":{"input_tokens":25,"output_tokens":1,"cache_read_input_tokens":10,"cache_creation_input_tokens":5}}}"#),
            ("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#),
            ("ping", #"{"type":"ping"}"#),
            ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}"#),
            ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":", wörld ✓ 😀\n\"quoted\""}}"#),
            ("content_block_stop", #"{"type":"content_block_stop","index":0}"#),
            ("message_delta", #"{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":12}}"#),
            ("message_stop", #"{"type":"message_stop"}"#),
        ])

        static let thinkingAndTools = sse([
            ("message_start", #"{"type":"message_start","message":{"id":"msg_01B","model":"claude-sonnet-4-5","usage":{"input_tokens":100,"output_tokens":1}}}"#),
            ("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}"#),
            ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"I should read "}}"#),
            ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"both files."}}"#),
            ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"}}"#),
            ("content_block_stop", #"{"type":"content_block_stop","index":0}"#),
            ("content_block_start", #"{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}"#),
            ("content_block_delta", #"{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Reading them."}}"#),
            ("content_block_stop", #"{"type":"content_block_stop","index":1}"#),
            ("content_block_start", #"{"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_01","name":"fs_read","input":{}}}"#),
            ("content_block_delta", #"{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":""}}"#),
            ("content_block_delta", #"{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"path\": \"a."}}"#),
            ("content_block_delta", #"{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"txt\"}"}}"#),
            ("content_block_stop", #"{"type":"content_block_stop","index":2}"#),
            ("content_block_start", #"{"type":"content_block_start","index":3,"content_block":{"type":"tool_use","id":"toolu_02","name":"fs_read","input":{}}}"#),
            ("content_block_delta", #"{"type":"content_block_delta","index":3,"delta":{"type":"input_json_delta","partial_json":"{\"path\": \"b.txt\"}"}}"#),
            ("content_block_stop", #"{"type":"content_block_stop","index":3}"#),
            ("message_delta", #"{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}"#),
            ("message_stop", #"{"type":"message_stop"}"#),
        ])

        static let overloadedMidStream = sse([
            ("message_start", #"{"type":"message_start","message":{"id":"msg_01C","model":"claude-sonnet-4-5","usage":{"input_tokens":5,"output_tokens":1}}}"#),
            ("error", #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#),
        ])

        static let cutBeforeStop = sse([
            ("message_start", #"{"type":"message_start","message":{"id":"msg_01D","model":"claude-sonnet-4-5","usage":{"input_tokens":5,"output_tokens":1}}}"#),
            ("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#),
            ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Half a"}}"#),
        ])

        /// A tool call that asks for `fs_read` of `notes.txt`, for end-to-end runs.
        static func toolCall(id: String, name: String, inputJSON: String) -> String {
            sse([
                ("message_start", #"{"type":"message_start","message":{"id":"msg_t","model":"claude-sonnet-4-5","usage":{"input_tokens":10,"output_tokens":1}}}"#),
                ("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"\#(id)","name":"\#(name)","input":{}}}"#),
                ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":\#(jsonString(inputJSON))}}"#),
                ("content_block_stop", #"{"type":"content_block_stop","index":0}"#),
                ("message_delta", #"{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":20}}"#),
                ("message_stop", #"{"type":"message_stop"}"#),
            ])
        }

        /// A plain text reply, for end-to-end runs.
        static func textReply(_ text: String) -> String {
            sse([
                ("message_start", #"{"type":"message_start","message":{"id":"msg_r","model":"claude-sonnet-4-5","usage":{"input_tokens":30,"output_tokens":1}}}"#),
                ("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#),
                ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":\#(jsonString(text))}}"#),
                ("content_block_stop", #"{"type":"content_block_stop","index":0}"#),
                ("message_delta", #"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":7}}"#),
                ("message_stop", #"{"type":"message_stop"}"#),
            ])
        }
    }

    enum OpenAI {
        static let text = sse([
            (nil, #"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#),
            (nil, #"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Hello"},"finish_reason":null}]}"#),
            (nil, #"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":", wörld ✓ 😀"},"finish_reason":null}]}"#),
            (nil, #"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#),
            (nil, #"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":50,"completion_tokens":9,"total_tokens":59,"prompt_tokens_details":{"cached_tokens":20}}}"#),
            (nil, "[DONE]"),
        ])

        /// DeepSeek-style reasoning followed by two parallel tool calls whose arguments arrive in pieces.
        static let reasoningAndTools = sse([
            (nil, #"{"id":"chatcmpl-2","model":"deepseek-reasoner","choices":[{"index":0,"delta":{"role":"assistant","content":null,"reasoning_content":"Two files "},"finish_reason":null}]}"#),
            (nil, #"{"id":"chatcmpl-2","model":"deepseek-reasoner","choices":[{"index":0,"delta":{"reasoning_content":"to read."},"finish_reason":null}]}"#),
            (nil, #"{"id":"chatcmpl-2","model":"deepseek-reasoner","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"fs_read","arguments":""}}]},"finish_reason":null}]}"#),
            (nil, #"{"id":"chatcmpl-2","model":"deepseek-reasoner","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"path\":"}}]},"finish_reason":null}]}"#),
            (nil, #"{"id":"chatcmpl-2","model":"deepseek-reasoner","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"fs_read","arguments":"{\"path\":\"b.txt\"}"}}]},"finish_reason":null}]}"#),
            (nil, #"{"id":"chatcmpl-2","model":"deepseek-reasoner","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":" \"a.txt\"}"}}]},"finish_reason":null}]}"#),
            (nil, #"{"id":"chatcmpl-2","model":"deepseek-reasoner","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#),
            (nil, #"{"id":"chatcmpl-2","model":"deepseek-reasoner","choices":[],"usage":{"prompt_tokens":70,"completion_tokens":30,"prompt_cache_hit_tokens":64,"prompt_cache_miss_tokens":6}}"#),
            (nil, "[DONE]"),
        ])

        static let midStreamError = sse([
            (nil, #"{"id":"chatcmpl-3","model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}"#),
            (nil, #"{"error":{"message":"The server had an error while processing your request.","type":"server_error"}}"#),
        ])

        static func toolCall(id: String, name: String, inputJSON: String) -> String {
            sse([
                (nil, #"{"id":"chatcmpl-t","model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"\#(id)","type":"function","function":{"name":"\#(name)","arguments":""}}]},"finish_reason":null}]}"#),
                (nil, #"{"id":"chatcmpl-t","model":"gpt-4o-mini","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":\#(jsonString(inputJSON))}}]},"finish_reason":null}]}"#),
                (nil, #"{"id":"chatcmpl-t","model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#),
                (nil, #"{"id":"chatcmpl-t","model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":40,"completion_tokens":15}}"#),
                (nil, "[DONE]"),
            ])
        }

        static func textReply(_ text: String) -> String {
            sse([
                (nil, #"{"id":"chatcmpl-r","model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":\#(jsonString(text))},"finish_reason":null}]}"#),
                (nil, #"{"id":"chatcmpl-r","model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#),
                (nil, #"{"id":"chatcmpl-r","model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":60,"completion_tokens":8}}"#),
                (nil, "[DONE]"),
            ])
        }
    }

    enum Gemini {
        static let text = sse([
            (nil, #"{"candidates":[{"content":{"parts":[{"text":"Hello"}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":1,"totalTokenCount":13},"modelVersion":"gemini-2.5-flash","responseId":"resp-1"}"#),
            (nil, #"{"candidates":[{"content":{"parts":[{"text":", wörld ✓ 😀"}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":5,"totalTokenCount":17},"modelVersion":"gemini-2.5-flash","responseId":"resp-1"}"#),
            (nil, #"{"candidates":[{"content":{"parts":[{"text":""}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":6,"totalTokenCount":18,"cachedContentTokenCount":4},"modelVersion":"gemini-2.5-flash","responseId":"resp-1"}"#),
        ])

        static let thoughtsAndTools = sse([
            (nil, #"{"candidates":[{"content":{"parts":[{"text":"Need both files.","thought":true}],"role":"model"},"index":0}],"modelVersion":"gemini-2.5-flash","responseId":"resp-2"}"#),
            (nil, #"{"candidates":[{"content":{"parts":[{"functionCall":{"name":"fs_read","args":{"path":"a.txt"}},"thoughtSignature":"CiQB0e2Kb7sig=="},{"functionCall":{"name":"fs_read","args":{"path":"b.txt"}}}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":80,"candidatesTokenCount":20,"thoughtsTokenCount":15,"totalTokenCount":115},"modelVersion":"gemini-2.5-flash","responseId":"resp-2"}"#),
        ])

        static let cut = sse([
            (nil, #"{"candidates":[{"content":{"parts":[{"text":"Half"}],"role":"model"},"index":0}],"modelVersion":"gemini-2.5-flash","responseId":"resp-3"}"#),
        ])

        static func toolCall(name: String, argsJSON: String) -> String {
            sse([
                (nil, #"{"candidates":[{"content":{"parts":[{"functionCall":{"name":"\#(name)","args":\#(argsJSON)},"thoughtSignature":"c2lnLWUyZQ=="}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":30,"candidatesTokenCount":10},"modelVersion":"gemini-2.5-flash","responseId":"resp-t"}"#),
            ])
        }

        static func textReply(_ text: String) -> String {
            sse([
                (nil, #"{"candidates":[{"content":{"parts":[{"text":\#(jsonString(text))}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":50,"candidatesTokenCount":8},"modelVersion":"gemini-2.5-flash","responseId":"resp-r"}"#),
            ])
        }
    }

    /// `text` as a JSON string literal.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
