import Foundation
import KodeKernel
import KodeProviders
import KodeTestSupport
import Testing

/// Anthropic `redacted_thinking` blocks must come back to the API unchanged, in their place.
@Suite("Anthropic redacted thinking")
struct RedactedThinkingTests {
    static let data = "EmwKAhgBEgy3va3pzix/LafPsn4aDFtOo+8=="

    /// Thinking, then a redacted block, then text.
    static let reply = Transcripts.sse([
        ("message_start", #"{"type":"message_start","message":{"id":"msg_r1","model":"claude-3-7-sonnet","usage":{"input_tokens":9,"output_tokens":1}}}"#),
        ("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me see."}}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"sigA"}}"#),
        ("content_block_stop", #"{"type":"content_block_stop","index":0}"#),
        ("content_block_start", #"{"type":"content_block_start","index":1,"content_block":{"type":"redacted_thinking","data":"\#(data)"}}"#),
        ("content_block_stop", #"{"type":"content_block_stop","index":1}"#),
        ("content_block_start", #"{"type":"content_block_start","index":2,"content_block":{"type":"text","text":""}}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":"Done."}}"#),
        ("content_block_stop", #"{"type":"content_block_stop","index":2}"#),
        ("message_delta", #"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":30}}"#),
        ("message_stop", #"{"type":"message_stop"}"#),
    ])

    /// The content blocks the encoder sends for one stored assistant thinking block.
    private func encodedBlocks(text: String, signature: String?) -> JSONValue? {
        let request = ModelRequest(model: "m", messages: [
            Message(role: .user, content: [.text("hi")]),
            Message(role: .assistant, content: [.thinking(text, signature: signature), .text("ok")]),
        ])
        return AnthropicRequestEncoder.body(for: request)["messages"]?.arrayValue?.last?["content"]
    }

    private static let redacted: JSONValue = ["type": "redacted_thinking", "data": .string(data)]

    @Test func theDecoderKeepsTheRedactedBlockAsASignaturePiece() throws {
        let events = try Decode.events(Self.reply, AnthropicStreamDecoder())
        let signature = events.compactMap { event -> String? in
            if case .thinkingSignature(let piece) = event { return piece }
            return nil
        }.joined()
        #expect(signature == "sigA\u{1E}\(Self.data)\u{1E}")
        #expect(events.contains(.thinkingDelta("Let me see.")))
        #expect(events.contains(.textDelta("Done.")))
    }

    @Test func theEncoderSendsThinkingAndRedactedBlocksInStreamOrder() {
        #expect(encodedBlocks(text: "Let me see.", signature: "sigA\u{1E}\(Self.data)\u{1E}") == [
            ["type": "thinking", "thinking": "Let me see.", "signature": "sigA"], Self.redacted, ["type": "text", "text": "ok"],
        ])
        #expect(encodedBlocks(text: "Later.", signature: "\u{1E}\(Self.data)\u{1E}sigB") == [
            Self.redacted, ["type": "thinking", "thinking": "Later.", "signature": "sigB"], ["type": "text", "text": "ok"],
        ])
    }

    @Test func redactedThinkingAloneAndEmptyDataStillGoBack() {
        #expect(encodedBlocks(text: "", signature: "\u{1E}\(Self.data)\u{1E}\u{1E}\u{1E}") == [
            Self.redacted, ["type": "redacted_thinking", "data": ""], ["type": "text", "text": "ok"],
        ])
    }

    @Test func unsignedThinkingIsStillDroppedAndPlainSignaturesUnchanged() {
        #expect(encodedBlocks(text: "unsigned", signature: nil) == [["type": "text", "text": "ok"]])
        #expect(encodedBlocks(text: "unsigned", signature: "\u{1E}\(Self.data)\u{1E}") == [Self.redacted, ["type": "text", "text": "ok"]])
        #expect(encodedBlocks(text: "signed", signature: "sig+/=") == [
            ["type": "thinking", "thinking": "signed", "signature": "sig+/="], ["type": "text", "text": "ok"],
        ])
    }

    /// The whole way: the kernel folds the streamed reply into its conversation, and the next
    /// request carries the redacted block back byte for byte.
    @Test func aRedactedBlockSurvivesTheConversationIntoTheNextRequest() async throws {
        try await withLoopback([.sse(Self.reply), .sse(Transcripts.Anthropic.textReply("Second."))]) { server, client in
            let workDir = try TemporaryDirectory(prefix: "kode-redacted")
            let provider = HTTPModelProvider(.anthropic, model: "claude-3-7-sonnet", apiKey: "sk-ant-k", baseURL: server.baseURL(), client: client, policy: testPolicy)
            let agent = try await Agent.create(
                config: AgentConfig(provider: ProviderConfig(name: "anthropic", model: "claude-3-7-sonnet"), workDir: workDir.path),
                store: InMemoryStore(), provider: provider)
            _ = try await agent.chat("first")
            _ = try await agent.chat("second")
            await agent.close()
            withExtendedLifetime(workDir) {}
            let body = try JSONValue.parse(try #require(server.requests.last).bodyText)
            let assistant = try #require(body["messages"]?.arrayValue?.first { $0["role"] == "assistant" })
            #expect(assistant["content"] == [
                ["type": "thinking", "thinking": "Let me see.", "signature": "sigA"], Self.redacted, ["type": "text", "text": "Done."],
            ])
        }
    }
}
