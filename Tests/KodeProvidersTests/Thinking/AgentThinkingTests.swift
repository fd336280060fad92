import Foundation
import KodeKernel
import KodeProviders
import KodeTestSupport
import Testing

/// Thinking end to end: an agent whose config turns thinking on, talking to each vendor's wire
/// format on a loopback server: the parameters in the request bodies, the streamed thinking as
/// `think_chunk_*` events (or not, when it is not exposed), and what goes back in later requests.
@Suite("Thinking through the agent")
struct AgentThinkingTests {
    struct Run {
        var bodies: [JSONValue]
        var events: [AgentEvent]
        var messages: [Message]
    }

    /// Runs two turns ("read them", then "and now?") with `thinking`, replying with `replies`.
    static func run(_ vendor: Vendor, model: String, thinking: ThinkingConfig, replies: [String], baseSuffix: String = "") async throws -> Run {
        try await withLoopback(replies.map { .sse($0) }) { server, client in
            let work = try TemporaryDirectory(prefix: "kode-thinking")
            try "alpha".write(to: work.appending("a.txt"), atomically: true, encoding: .utf8)
            try "beta".write(to: work.appending("b.txt"), atomically: true, encoding: .utf8)
            let provider = HTTPModelProvider(vendor, model: model, apiKey: "k", baseURL: server.baseURL(baseSuffix), client: client, policy: testPolicy)
            var config = AgentConfig(provider: ProviderConfig(name: vendor.name, model: model), workDir: work.path)
            config.thinking = thinking
            let store = InMemoryStore()
            let agent = try await Agent.create(config: config, dependencies: AgentDependencies(store: store, provider: provider, instructions: .none))
            _ = try await agent.chat("read them")
            _ = try await agent.chat("and now?")
            let messages = await agent.snapshot().messages
            await agent.close()
            let records = try await store.records(of: agent.id, after: 0)
            let events = records.compactMap { record -> AgentEvent? in
                if case .event(let event) = record.body { return event }
                return nil
            }
            return Run(bodies: try server.requests.map { try JSONValue.parse($0.bodyText) }, events: events, messages: messages)
        }
    }

    static func thinkText(_ events: [AgentEvent]) -> String {
        events.compactMap { if case .thinkChunk(let d) = $0 { return d.delta } else { return nil } }.joined()
    }

    static func hasThinkEvents(_ events: [AgentEvent]) -> Bool {
        events.contains { if case .thinkChunkStart = $0 { return true }; if case .thinkChunkEnd = $0 { return true }; return false }
    }

    @Test func anthropicSendsTheBudgetAndStreamsThinkingAsEvents() async throws {
        let run = try await Self.run(.anthropic, model: "claude-sonnet-4-5", thinking: ThinkingConfig(level: .high),
                                     replies: [Transcripts.Anthropic.thinkingAndTools, Transcripts.Anthropic.textReply("Done."), Transcripts.Anthropic.textReply("Nothing.")])
        #expect(run.bodies.count == 3)
        for body in run.bodies {
            #expect(body["thinking"] == ["type": "enabled", "budget_tokens": 24576])
            #expect((body["max_tokens"]?.intValue ?? 0) > 24576)
        }
        #expect(Self.thinkText(run.events) == "I should read both files.")
        #expect(Self.hasThinkEvents(run.events))
        // Retained: the signed thinking goes back in both later requests, before the tool calls.
        for body in run.bodies.dropFirst() {
            let assistant = try #require(body["messages"]?.arrayValue?[1]["content"]?.arrayValue)
            #expect(assistant.first == ["type": "thinking", "thinking": "I should read both files.", "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"])
        }
    }

    @Test func anthropicWithoutRetainSendsOnlyTheCurrentTurnsThinkingAndUnexposedThinkingMakesNoEvents() async throws {
        let run = try await Self.run(.anthropic, model: "claude-sonnet-4-5", thinking: ThinkingConfig(level: .low, budgetTokens: 3000, expose: false, retain: false),
                                     replies: [Transcripts.Anthropic.thinkingAndTools, Transcripts.Anthropic.textReply("Done."), Transcripts.Anthropic.textReply("Nothing.")])
        #expect(run.bodies[0]["thinking"] == ["type": "enabled", "budget_tokens": 3000])
        #expect(!Self.hasThinkEvents(run.events), "not exposed")
        #expect(Self.thinkText(run.events).isEmpty)
        #expect(run.messages[1].content.first == .thinking("I should read both files.", signature: "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"), "kept in the log all the same")
        // Within the turn (answering the tool calls) the thinking must go back...
        let second = try #require(run.bodies[1]["messages"]?.arrayValue?[1]["content"]?.arrayValue)
        #expect(second.first?["type"] == "thinking")
        // ...in the next turn it is left out.
        let third = try #require(run.bodies[2]["messages"]?.arrayValue?[1]["content"]?.arrayValue)
        #expect(!third.contains { $0["type"] == "thinking" })
        #expect(third.first == ["type": "text", "text": "Reading them."])
    }

    @Test func geminiSendsThinkingConfigAndTheSignatureOnlyWhileItIsNeeded() async throws {
        let retained = try await Self.run(.gemini, model: "gemini-2.5-flash", thinking: ThinkingConfig(level: .medium),
                                          replies: [Transcripts.Gemini.thoughtsAndTools, Transcripts.Gemini.textReply("Done."), Transcripts.Gemini.textReply("Nothing.")])
        #expect(retained.bodies.count == 3)
        #expect(retained.bodies[0]["generationConfig"]?["thinkingConfig"] == ["thinkingBudget": 8192, "includeThoughts": true])
        #expect(Self.thinkText(retained.events) == "Need both files.")
        let signed = { (body: JSONValue) in body["contents"]?.arrayValue?[1]["parts"]?.arrayValue?.first?["thoughtSignature"] }
        #expect(signed(retained.bodies[2]) == "CiQB0e2Kb7sig==")

        let current = try await Self.run(.gemini, model: "gemini-2.5-flash", thinking: ThinkingConfig(level: .medium, retain: false),
                                         replies: [Transcripts.Gemini.thoughtsAndTools, Transcripts.Gemini.textReply("Done."), Transcripts.Gemini.textReply("Nothing.")])
        #expect(signed(current.bodies[1]) == "CiQB0e2Kb7sig==", "the current turn's function calls carry it")
        #expect(signed(current.bodies[2]) == nil, "an earlier turn's do not")
    }

    @Test func openAICompatibleSendsReasoningEffortAndStreamsReasoningAsEvents() async throws {
        let run = try await Self.run(.openAI, model: "deepseek-reasoner", thinking: ThinkingConfig(level: .high),
                                     replies: [Transcripts.OpenAI.reasoningAndTools, Transcripts.OpenAI.textReply("Done."), Transcripts.OpenAI.textReply("Nothing.")],
                                     baseSuffix: "/v1")
        #expect(run.bodies.count == 3)
        for body in run.bodies { #expect(body["reasoning_effort"] == "high") }
        #expect(run.bodies[0]["thinking"] == nil)
        #expect(Self.thinkText(run.events) == "Two files to read.")
    }

    @Test func offSendsNoThinkingParameterToAnyVendor() async throws {
        let anthropic = try await Self.run(.anthropic, model: "claude-sonnet-4-5", thinking: ThinkingConfig(),
                                           replies: [Transcripts.Anthropic.textReply("a"), Transcripts.Anthropic.textReply("b")])
        #expect(anthropic.bodies.allSatisfy { $0["thinking"] == nil })
        let gemini = try await Self.run(.gemini, model: "gemini-2.5-flash", thinking: ThinkingConfig(),
                                        replies: [Transcripts.Gemini.textReply("a"), Transcripts.Gemini.textReply("b")])
        #expect(gemini.bodies.allSatisfy { $0["generationConfig"]?["thinkingConfig"] == nil })
        let openAI = try await Self.run(.openAI, model: "gpt-4o-mini", thinking: ThinkingConfig(),
                                        replies: [Transcripts.OpenAI.textReply("a"), Transcripts.OpenAI.textReply("b")], baseSuffix: "/v1")
        #expect(openAI.bodies.allSatisfy { $0["reasoning_effort"] == nil })
    }
}
