import Foundation
import KodeKernel
import KodeTestSupport
import Testing

/// `kode run` against each vendor's wire format served by a loopback server: the model asks for
/// `fs_read`, the CLI runs it, sends the result back in the vendor's shape, and the turn finishes.
@Suite("kode run against loopback model servers", .serialized)
struct ProviderEndToEndTests {
    struct Vendor: Sendable, CustomTestStringConvertible {
        var name: String
        var basePath: String
        var environment: [String: String]
        var toolCall: String
        var reply: String
        var testDescription: String { name }
    }

    static let vendors: [Vendor] = [
        Vendor(
            name: "openai", basePath: "/v1", environment: [:],
            toolCall: Wire.openAIToolCall, reply: Wire.openAIReply),
        Vendor(
            name: "anthropic", basePath: "", environment: ["ANTHROPIC_API_KEY": "test-anthropic-key"],
            toolCall: Wire.anthropicToolCall, reply: Wire.anthropicReply),
        Vendor(
            name: "gemini", basePath: "", environment: ["GEMINI_API_KEY": "test-gemini-key"],
            toolCall: Wire.geminiToolCall, reply: Wire.geminiReply),
    ]

    @Test(arguments: vendors)
    func toolCallRunsAndTheTurnFinishes(_ vendor: Vendor) async throws {
        let directory = try TemporaryDirectory(prefix: "kode-e2e-\(vendor.name)")
        let workDir = directory.url
        try "the secret is plum-42\n".write(to: workDir.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)

        let server = try await LoopbackHTTPServer.start([.sse(vendor.toolCall, chunkSize: 64), .sse(vendor.reply, chunkSize: 64)])
        defer { Task { await server.shutdown() } }

        // No real keys or credentials from the developer's environment leak into the run.
        var environment = [
            "HOME": workDir.path, "KODE_CREDENTIALS": workDir.appendingPathComponent("none.toml").path,
            "ANTHROPIC_API_KEY": "", "OPENAI_API_KEY": "", "GEMINI_API_KEY": "",
        ]
        environment.merge(vendor.environment) { _, new in new }
        let run = try await KodeCLI.run(
            [
                "run", "--provider", vendor.name, "--model", "test-model", "--base-url", server.baseURL(vendor.basePath),
                "--permission", "auto", "--workdir", workDir.path, "--store", workDir.appendingPathComponent(".kode").path,
                "--prompt", "What does notes.txt say?", "--json",
            ],
            environment: environment, timeout: .seconds(60))
        #expect(run.status == 0, "stderr: \(run.stderr)")

        let events = run.stdout.split(separator: "\n").compactMap { line in try? JSONValue.parse(String(line)) }
        #expect(!events.isEmpty, "no JSON events; stderr: \(run.stderr)")
        let types = events.compactMap { $0["type"]?.stringValue }
        let toolStart = events.first { $0["type"] == "tool:start" }
        #expect(toolStart?["name"] == "fs_read")
        #expect(toolStart?["input"]?["path"] == "notes.txt")
        let toolEnd = events.first { $0["type"] == "tool:end" }
        #expect(toolEnd?["state"] == "COMPLETED")
        #expect(types.contains("token_usage"))
        #expect(types.last == "done")
        let text = events.filter { $0["type"] == "text_chunk" }.compactMap { $0["delta"]?.stringValue }.joined()
        #expect(text.contains("It says plum-42."))
        #expect(!types.contains("error"), "unexpected error event: \(events.filter { $0["type"] == "error" })")

        // The second request carries the tool's output back, paired in the vendor's own shape.
        let requests = server.requests
        #expect(requests.count == 2)
        let followUp = try JSONValue.parse(try #require(requests.last).bodyText)
        let body = followUp.compactText
        #expect(body.contains("plum-42"))
        switch vendor.name {
        case "openai":
            let messages = followUp["messages"]?.arrayValue ?? []
            #expect(messages.contains { $0["role"] == "tool" && $0["tool_call_id"] == "call_e2e" })
            #expect(requests.allSatisfy { $0.header("authorization") == nil })
        case "anthropic":
            #expect(body.contains(#""tool_use_id":"toolu_e2e""#))
            #expect(requests.allSatisfy { $0.header("x-api-key") == "test-anthropic-key" })
        default:
            #expect(body.contains(#""functionResponse":{"name":"fs_read""#))
            #expect(body.contains(#""thoughtSignature":"c2lnLWUyZQ==""#))
        }
        // The key is never stored with the agent.
        #expect(!(StoreScan.containsText(in: workDir.appendingPathComponent(".kode"), "test-anthropic-key")))
        #expect(!(StoreScan.containsText(in: workDir.appendingPathComponent(".kode"), "test-gemini-key")))
    }
}

extension ProviderEndToEndTests {
    /// The connection drops in the middle of a reply that already showed text: the run reports a
    /// Monitor error in the `model` phase, the turn ends as failed (exit 1) without hanging, and
    /// the half reply is not committed to the conversation.
    @Test func streamCutMidReplyIsAModelErrorAndNothingIsCommitted() async throws {
        let directory = try TemporaryDirectory(prefix: "kode-e2e-cut")
        let workDir = directory.url
        let body = Array(Wire.openAIReply.utf8)
        let marker = Array("plum-42".utf8)
        // Everything up to (not including) the chunk that carries "plum-42": "It says " arrived.
        let cut = (0..<(body.count - marker.count)).first { Array(body[$0..<($0 + marker.count)]) == marker }.map { index in
            body[..<index].lastIndex(of: UInt8(ascii: "d")) ?? index
        } ?? body.count / 2
        let server = try await LoopbackHTTPServer.start([
            .init(status: 200, headers: [("content-type", "text/event-stream")], steps: [.send(Array(body[..<cut])), .pause(.milliseconds(50)), .closeConnection])
        ])
        defer { Task { await server.shutdown() } }
        let store = workDir.appendingPathComponent(".kode").path
        let environment = [
            "HOME": workDir.path, "KODE_CREDENTIALS": workDir.appendingPathComponent("none.toml").path,
            "ANTHROPIC_API_KEY": "", "OPENAI_API_KEY": "", "GEMINI_API_KEY": "",
        ]
        let run = try await KodeCLI.run(
            [
                "run", "--provider", "openai", "--model", "test-model", "--base-url", server.baseURL("/v1"),
                "--permission", "auto", "--workdir", workDir.path, "--store", store, "--prompt", "Say it", "--json",
            ],
            environment: environment, timeout: .seconds(60))
        #expect(run.status == 1, "stderr: \(run.stderr)")
        let events = run.stdout.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
        let error = try #require(events.first { $0["type"] == "error" }, "no error event; stdout: \(run.stdout)")
        #expect(error["phase"] == "model")
        #expect(error["message"]?.stringValue?.contains("closed before the reply was complete") == true)
        #expect(events.last?["type"] == "done")
        #expect(events.last?["reason"] == "failed")
        #expect(server.requests.count == 1, "no retry after text was shown")

        let agentId = try #require(run.agentId)
        let export = try await KodeCLI.run(["export", agentId, "--json", "--store", store], environment: environment)
        #expect(export.status == 0, "stderr: \(export.stderr)")
        let conversation = try JSONValue.parse(export.stdout)
        let messages = conversation["messages"]?.arrayValue ?? []
        #expect(!messages.contains { $0["role"] == "assistant" }, "the half reply must not be committed: \(export.stdout)")
    }
}

/// Vendor replies written from each documented streaming format.
enum Wire {
    static func sse(_ events: [(String?, String)]) -> String {
        events.map { name, data in (name.map { "event: \($0)\n" } ?? "") + "data: \(data)\n\n" }.joined()
    }

    static let openAIToolCall = sse([
        (nil, #"{"id":"c1","model":"test-model","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_e2e","type":"function","function":{"name":"fs_read","arguments":""}}]},"finish_reason":null}]}"#),
        (nil, #"{"id":"c1","model":"test-model","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"path\":"}}]},"finish_reason":null}]}"#),
        (nil, #"{"id":"c1","model":"test-model","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"notes.txt\"}"}}]},"finish_reason":null}]}"#),
        (nil, #"{"id":"c1","model":"test-model","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#),
        (nil, #"{"id":"c1","model":"test-model","choices":[],"usage":{"prompt_tokens":40,"completion_tokens":12}}"#),
        (nil, "[DONE]"),
    ])
    static let openAIReply = sse([
        (nil, #"{"id":"c2","model":"test-model","choices":[{"index":0,"delta":{"role":"assistant","content":"It says "},"finish_reason":null}]}"#),
        (nil, #"{"id":"c2","model":"test-model","choices":[{"index":0,"delta":{"content":"plum-42."},"finish_reason":null}]}"#),
        (nil, #"{"id":"c2","model":"test-model","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#),
        (nil, #"{"id":"c2","model":"test-model","choices":[],"usage":{"prompt_tokens":70,"completion_tokens":6}}"#),
        (nil, "[DONE]"),
    ])

    static let anthropicToolCall = sse([
        ("message_start", #"{"type":"message_start","message":{"id":"msg_e1","model":"test-model","usage":{"input_tokens":40,"output_tokens":1}}}"#),
        ("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_e2e","name":"fs_read","input":{}}}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"path\": \"notes"}}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":".txt\"}"}}"#),
        ("content_block_stop", #"{"type":"content_block_stop","index":0}"#),
        ("message_delta", #"{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":12}}"#),
        ("message_stop", #"{"type":"message_stop"}"#),
    ])
    static let anthropicReply = sse([
        ("message_start", #"{"type":"message_start","message":{"id":"msg_e2","model":"test-model","usage":{"input_tokens":70,"output_tokens":1}}}"#),
        ("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"It says plum-42."}}"#),
        ("content_block_stop", #"{"type":"content_block_stop","index":0}"#),
        ("message_delta", #"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":6}}"#),
        ("message_stop", #"{"type":"message_stop"}"#),
    ])

    static let geminiToolCall = sse([
        (nil, #"{"candidates":[{"content":{"parts":[{"functionCall":{"name":"fs_read","args":{"path":"notes.txt"}},"thoughtSignature":"c2lnLWUyZQ=="}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":40,"candidatesTokenCount":12},"modelVersion":"test-model","responseId":"r1"}"#),
    ])
    static let geminiReply = sse([
        (nil, #"{"candidates":[{"content":{"parts":[{"text":"It says "}],"role":"model"},"index":0}],"modelVersion":"test-model","responseId":"r2"}"#),
        (nil, #"{"candidates":[{"content":{"parts":[{"text":"plum-42."}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":70,"candidatesTokenCount":6},"modelVersion":"test-model","responseId":"r2"}"#),
    ])
}

/// Searching a directory tree for text.
enum StoreScan {
    /// Whether any file under `directory` contains `needle`.
    static func containsText(in directory: URL, _ needle: String) -> Bool {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return false }
        let bytes = Data(needle.utf8)
        for case let url as URL in walker {
            if let data = try? Data(contentsOf: url), data.range(of: bytes) != nil { return true }
        }
        return false
    }
}
