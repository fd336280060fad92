import Foundation
import KodeKernel
import KodeProviders
import KodeTestSupport
import Testing

/// What each provider actually puts on the wire, checked on the loopback server's record.
@Suite("Request encoding")
struct RequestEncodingTests {
    /// A conversation with thinking, two tool calls and their results.
    static let conversation: [Message] = [
        Message(role: .user, content: [.text("Read a.txt and b.txt")]),
        Message(role: .assistant, content: [
            .thinking("Both files.", signature: "sig-123"),
            .text("Reading."),
            .toolUse(id: "call_1", name: "fs_read", input: ["path": "a.txt"]),
            .toolUse(id: "call_2", name: "fs_read", input: ["path": "b.txt"]),
        ]),
        Message(role: .user, content: [
            .toolResult(toolUseId: "call_1", content: "alpha", isError: false),
            .toolResult(toolUseId: "call_2", content: "no such file", isError: true),
        ]),
    ]

    static let tools = [
        ToolDefinition(name: "fs_read", description: "Read a file", inputSchema: [
            "$schema": "http://json-schema.org/draft-07/schema#",
            "type": "object",
            "additionalProperties": false,
            "properties": [
                "path": ["type": "string", "description": "File path", "default": "x"],
                "limit": ["type": ["integer", "null"], "minimum": 1],
                "mode": ["const": "text"],
                "tags": ["type": "array", "items": ["type": "string", "additionalProperties": false]],
            ],
            "required": ["path", "ghost"],
        ])
    ]

    static func request(model: String) -> ModelRequest {
        ModelRequest(model: model, system: "You are terse.", messages: conversation, tools: tools, maxTokens: 1000, thinkingBudget: 2048)
    }

    private func lastBody(_ server: LoopbackHTTPServer) throws -> JSONValue {
        try JSONValue.parse(try #require(server.requests.last).bodyText)
    }

    @Test func anthropicSendsThinkingWithSignatureAndPairedToolResults() async throws {
        try await withLoopback([.sse(Transcripts.Anthropic.text)]) { server, client in
            let provider = HTTPModelProvider(.anthropic, model: "claude-sonnet-4-5", apiKey: "sk-ant-k", baseURL: server.baseURL() + "/", client: client)
            _ = await collect(provider.stream(Self.request(model: "")))
            let request = try #require(server.requests.first)
            #expect(request.path == "/v1/messages")
            #expect(request.header("x-api-key") == "sk-ant-k")
            #expect(request.header("anthropic-version") == "2023-06-01")
            let body = try lastBody(server)
            #expect(body["model"] == "claude-sonnet-4-5")
            #expect(body["stream"] == true)
            #expect(body["system"] == "You are terse.")
            #expect(body["thinking"] == ["type": "enabled", "budget_tokens": 2048])
            #expect((body["max_tokens"]?.intValue ?? 0) > 2048)
            let assistant = try #require(body["messages"]?.arrayValue?[1]["content"]?.arrayValue)
            #expect(assistant[0] == ["type": "thinking", "thinking": "Both files.", "signature": "sig-123"])
            #expect(assistant[2] == ["type": "tool_use", "id": "call_1", "name": "fs_read", "input": ["path": "a.txt"]])
            let results = try #require(body["messages"]?.arrayValue?[2]["content"]?.arrayValue)
            #expect(results[1] == ["type": "tool_result", "tool_use_id": "call_2", "content": "no such file", "is_error": true])
            #expect(body["tools"]?.arrayValue?.first?["input_schema"] == Self.tools[0].inputSchema)
        }
    }

    @Test func openAISendsToolMessagesPairedByCallIdAndNoKeyForLocalhost() async throws {
        try await withLoopback([.sse(Transcripts.OpenAI.text)]) { server, client in
            let provider = try ProviderFactory.make(
                ProviderConfig(name: "openai", model: "llama3.2", baseURL: server.baseURL("/v1")), environment: [:], client: client)
            let result = await collect(provider.stream(Self.request(model: "")))
            #expect(result.error == nil)
            let request = try #require(server.requests.first)
            #expect(request.path == "/v1/chat/completions")
            #expect(request.header("authorization") == nil, "no key header for a local server without a key")
            let body = try lastBody(server)
            #expect(body["stream_options"] == ["include_usage": true])
            #expect(body["max_tokens"] == 1000)
            let messages = try #require(body["messages"]?.arrayValue)
            #expect(messages[0] == ["role": "system", "content": "You are terse."])
            let calls = try #require(messages[2]["tool_calls"]?.arrayValue)
            #expect(calls.count == 2)
            #expect(calls[0] == ["id": "call_1", "type": "function", "function": ["name": "fs_read", "arguments": #"{"path":"a.txt"}"#]])
            #expect(messages[2]["content"] == "Reading.")
            #expect(messages[3] == ["role": "tool", "tool_call_id": "call_1", "content": "alpha"])
            #expect(messages[4] == ["role": "tool", "tool_call_id": "call_2", "content": "Error: no such file"])
            #expect(messages.count == 5)
            #expect(body["tools"]?.arrayValue?.first?["function"]?["name"] == "fs_read")
        }
    }

    @Test func openAISendsBearerKeyWhenGiven() async throws {
        try await withLoopback([.sse(Transcripts.OpenAI.text)]) { server, client in
            let provider = try ProviderFactory.make(
                ProviderConfig(name: "openai", model: "gpt-4o-mini", baseURL: server.baseURL("/v1")),
                environment: ["OPENAI_API_KEY": "sk-test"], client: client)
            _ = await collect(provider.stream(sampleRequest()))
            #expect(server.requests.first?.header("authorization") == "Bearer sk-test")
        }
    }

    @Test func geminiConvertsSchemaPairsResponsesByNameAndReturnsTheSignature() async throws {
        try await withLoopback([.sse(Transcripts.Gemini.text)]) { server, client in
            let provider = HTTPModelProvider(.gemini, model: "gemini-2.5-flash", apiKey: "g-key", baseURL: server.baseURL(), client: client)
            _ = await collect(provider.stream(Self.request(model: "")))
            let request = try #require(server.requests.first)
            #expect(request.path == "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse")
            #expect(request.header("x-goog-api-key") == "g-key")
            let body = try lastBody(server)
            #expect(body["systemInstruction"] == ["parts": [["text": "You are terse."]]])
            #expect(body["generationConfig"]?["thinkingConfig"] == ["thinkingBudget": 2048, "includeThoughts": true])
            let contents = try #require(body["contents"]?.arrayValue)
            #expect(contents[1]["role"] == "model")
            let modelParts = try #require(contents[1]["parts"]?.arrayValue)
            #expect(modelParts == [
                ["text": "Reading."],
                ["functionCall": ["name": "fs_read", "args": ["path": "a.txt"]], "thoughtSignature": "sig-123"],
                ["functionCall": ["name": "fs_read", "args": ["path": "b.txt"]]],
            ])
            let responses = try #require(contents[2]["parts"]?.arrayValue)
            #expect(responses[0] == ["functionResponse": ["name": "fs_read", "response": ["content": "alpha"]]])
            #expect(responses[1] == ["functionResponse": ["name": "fs_read", "response": ["error": "no such file"]]])
            let parameters = body["tools"]?.arrayValue?.first?["functionDeclarations"]?.arrayValue?.first?["parameters"]
            #expect(parameters == [
                "type": "object",
                "properties": [
                    "path": ["type": "string", "description": "File path"],
                    "limit": ["type": "integer", "nullable": true, "minimum": 1],
                    "mode": ["type": "string", "enum": ["text"]],
                    "tags": ["type": "array", "items": ["type": "string"]],
                ],
                "required": ["path"],
            ])
        }
    }

    @Test func geminiOmitsParametersForAToolWithoutProperties() {
        #expect(GeminiSchema.parameters(["type": "object", "properties": [:], "additionalProperties": false]) == nil)
    }
}
