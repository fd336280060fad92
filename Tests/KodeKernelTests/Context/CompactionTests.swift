import Foundation
import KodeKernel
import KodeTestSupport
import Synchronization
import Testing

@Suite("Compaction")
struct CompactionTests {
    static let long = "hello " + String(repeating: "the first question, at length. ", count: 100)

    /// Window 20,000 tokens, compaction past half of it, the newest 2,000 tokens kept as they are.
    static let policy = ContextPolicy(contextWindow: 20_000, compactionThreshold: 0.5, keepRecentFraction: 0.1, summaryMaxTokens: 1_000)

    static func recording(_ script: String, context: ContextPolicy = policy, store: (any AgentStore)? = nil) async throws -> (AgentHarness, RecordingProvider) {
        let box = ProviderBox()
        let h = try await AgentHarness.make(script: script, store: store, context: context) { box.wrap($0) }
        return (h, box.provider!)
    }

    @Test("when the next request would pass the threshold, the model summarises the older part; summary + recent messages are sent; the log keeps everything")
    func thresholdCompaction() async throws {
        let script = #"""
            {"turns":[
              {"text":"first"},
              {"tool_calls":[{"name":"todo_read","input":{}}],"usage":{"input":11000,"output":10}},
              {"text":"final"}],
             "summary":"The person said hello at length; the agent answered."}
            """#
        let (h, provider) = try await Self.recording(script)
        let recorder = EventRecorder(h.agent, kinds: [.contextCompression])
        _ = try await h.agent.chat(Self.long)
        let done = try await h.agent.chat("second")
        #expect(done.reason == .completed)

        let state = await h.agent.snapshot()
        let compaction = try #require(state.compaction)
        #expect(compaction.trigger == .threshold)
        #expect(compaction.replacedMessages == 2)
        #expect(compaction.summary == "The person said hello at length; the agent answered.")
        #expect(compaction.firstMessageId == state.messages[0].id && compaction.lastMessageId == state.messages[1].id)
        #expect(state.messages.count == 6, "the log keeps every message")
        #expect(state.messages.last?.text == "final")

        let summaryRequest = try #require(provider.requests.first { $0.purpose == .summary })
        #expect(summaryRequest.allText.contains("the first question"))
        let last = try #require(provider.replyRequests.last)
        #expect(last.messages.first?.text.contains("<conversation-summary>") == true)
        #expect(last.messages.first?.text.contains("The person said hello") == true)
        #expect(last.allText.contains("second"))
        #expect(!last.allText.contains("the first question"))

        let event = try await recorder.wait(for: .contextCompression)
        guard case .contextCompression(let e) = event.event else { Issue.record("not a compression"); return }
        #expect(e.compactionId == compaction.id && e.trigger == "threshold" && e.replacedMessages == 2)
        #expect(e.afterChars < e.beforeChars)
        #expect((e.ratio ?? 1) < 1)
        #expect(e.tokensBefore ?? 0 > 10_000)
        await h.tearDown()
    }

    @Test("compact(instructions:) on demand; later requests start with the summary; fork before and after it")
    func manualCompactionAndForks() async throws {
        let script = #"{"turns":[{"text":"first"},{"text":"two"},{"text":"three"}]}"#
        let store = InMemoryStore()
        let (h, provider) = try await Self.recording(script, store: store)
        _ = try await h.agent.chat(Self.long)
        _ = try await h.agent.chat("second")
        try await h.agent.compact(instructions: "keep the numbers")

        let summaryRequest = try #require(provider.requests.last)
        #expect(summaryRequest.purpose == .summary)
        #expect(summaryRequest.allText.contains("Also: keep the numbers"))
        #expect(summaryRequest.tools.isEmpty)
        let compaction = try #require(await h.agent.snapshot().compaction)
        #expect(compaction.trigger == .manual && compaction.instructions == "keep the numbers")

        _ = try await h.agent.chat("third")
        let after = try #require(provider.replyRequests.last)
        #expect(after.messages.first?.text.contains("<conversation-summary>") == true)
        #expect(!after.allText.contains("the first question"))
        #expect(await h.agent.snapshot().messages.last?.text == "three")

        let points = await h.agent.checkpoints()
        let before = try #require(points.first { $0.preview == "before compaction" })
        let afterPoint = try #require(points.first { $0.preview.hasPrefix("after compaction") })
        #expect(before.seq < afterPoint.seq)

        for (point, summarised) in [(before, false), (afterPoint, true)] {
            let child = try await h.agent.fork(at: point.id)
            let childProvider = RecordingProvider(ScriptedProvider(script: try ScriptedScript.parse(Data(script.utf8), source: "t")))
            let agent = try await Agent.resume(id: child, dependencies: AgentDependencies(store: store, provider: childProvider, context: Self.policy))
            #expect(await (agent.snapshot().compaction != nil) == summarised)
            _ = try await agent.chat("from the fork")
            let request = try #require(childProvider.replyRequests.last)
            #expect(request.allText.contains("<conversation-summary>") == summarised, "fork at \(point.preview)")
            #expect(request.allText.contains("the first question") == !summarised, "fork at \(point.preview)")
            #expect(await agent.snapshot().messages.last?.text == "three")
            await agent.close()
        }
        await h.tearDown()
    }

    @Test("a context already full: the oldest tool output is left out of the summarising request, which then fits")
    func contextAlreadyFull() async throws {
        let dir = try TemporaryDirectory(prefix: "kode-full")
        let big = (1...800).map { "line \($0) " + String(repeating: "z", count: 40) }.joined(separator: "\n")
        try big.write(to: dir.url.appendingPathComponent("big.txt"), atomically: true, encoding: .utf8)
        let script = #"{"turns":[{"tool_calls":[{"name":"fs_read","input":{"path":"big.txt"}}]},{"text":"read it"}]}"#
        let policy = ContextPolicy(contextWindow: 3_000, compactionThreshold: nil, keepRecentFraction: 0.2, summaryMaxTokens: 500)
        let box = ProviderBox()
        let h = try await AgentHarness.make(script: script, workDir: dir.url, context: policy) { box.wrap($0) }
        _ = try await h.agent.chat("read big.txt")
        #expect(await h.agent.snapshot().compaction == nil, "automatic compaction is off")
        try await h.agent.compact(instructions: nil)

        let compaction = try #require(await h.agent.snapshot().compaction)
        #expect(compaction.trimmedToolOutputs == 1)
        let request = try #require(box.provider?.requests.last)
        let bytes = request.messages.reduce(0) { $0 + $1.text.utf8.count } + (request.system?.utf8.count ?? 0)
        #expect(bytes / 4 + request.maxTokens <= 3_000, "the summarising request fits the window")
        #expect(request.allText.contains("output left out to fit the summary request"))
        await h.tearDown()
    }

    @Test("nothing to compact is a clear error; compaction refuses to run during a turn")
    func refusals() async throws {
        let h = try await AgentHarness.make(script: #"{"turns":[{"text":"hi"}]}"#)
        await #expect(throws: AgentError.nothingToCompact(messages: 0)) { try await h.agent.compact(instructions: nil) }
        await h.tearDown()
    }

    @Test("interrupt() stops a manual compaction: nothing changes, and input sent meanwhile is answered after")
    func interruptManualCompaction() async throws {
        let script = #"{"turns":[{"text":"first"},{"text":"two"},{"text":"three"}]}"#
        let h = try await AgentHarness.make(script: script, context: Self.policy) { HangingSummaries($0) }
        _ = try await h.agent.chat(Self.long)
        _ = try await h.agent.chat("second")
        let recorder = EventRecorder(h.agent, kinds: [.breakpointChanged, .done])
        let compacting = Task { try await h.agent.compact(instructions: nil) }
        try await recorder.wait { if case .breakpointChanged(let e) = $0.event { return e.to == .compacting } else { return false } }
        let queued = try await h.agent.send("third")
        #expect(await h.agent.status().queuedInputs.map(\.id) == [queued])
        await h.agent.interrupt()
        await #expect(throws: AgentError.compactionFailed("interrupted; the conversation is unchanged")) { try await compacting.value }
        #expect(await h.agent.snapshot().compaction == nil)
        _ = try await h.agent.chat("fourth")
        let texts = await h.agent.snapshot().messages.map(\.text)
        #expect(Array(texts.suffix(3)) == ["third", "fourth", "three"], "the input queued during the compaction joins the next turn")
        await h.tearDown()
    }

    @Test("a crash in the middle of compacting: the conversation is as it was, and continuing compacts again")
    func crashWhileCompacting() async throws {
        let script = #"""
            {"turns":[
              {"text":"first"},
              {"tool_calls":[{"name":"todo_read","input":{}}],"usage":{"input":11000,"output":10}},
              {"text":"final"}]}
            """#
        let store = InMemoryStore()
        let h = try await AgentHarness.make(script: script, store: store, context: Self.policy) { HangingSummaries($0) }
        let recorder = EventRecorder(h.agent, kinds: [.breakpointChanged])
        _ = try await h.agent.chat(Self.long)
        _ = try await h.agent.send("second")
        try await recorder.wait { if case .breakpointChanged(let e) = $0.event { return e.to == .compacting } else { return false } }
        let before = await h.agent.snapshot().messages.count
        await h.agent.detach()

        let parsed = try ScriptedScript.parse(Data(script.utf8), source: "t")
        let resumed = try await Agent.resume(id: h.agent.id, dependencies: AgentDependencies(store: store, provider: ScriptedProvider(script: parsed), context: Self.policy))
        let state = await resumed.snapshot()
        #expect(state.compaction == nil)
        #expect(state.messages.count == before)
        #expect(await resumed.status().turnInterrupted)
        let events = EventRecorder(resumed, kinds: [.done])
        try await resumed.continueTurn()
        try await events.wait(for: .done)
        let finished = await resumed.snapshot()
        #expect(finished.compaction?.replacedMessages == 2)
        #expect(finished.messages.last?.text == "final")
        await resumed.close()
    }
}

/// Hands the wrapped provider to the test once the harness made it.
final class ProviderBox: Sendable {
    private let made = Mutex<RecordingProvider?>(nil)
    var provider: RecordingProvider? { made.withLock { $0 } }
    func wrap(_ base: any ModelProvider) -> any ModelProvider {
        let recording = RecordingProvider(base)
        made.withLock { $0 = recording }
        return recording
    }
}

/// Answers replies as the wrapped provider does; a summary request never finishes (until cancelled).
struct HangingSummaries: ModelProvider {
    let base: any ModelProvider
    init(_ base: any ModelProvider) { self.base = base }
    var info: ProviderInfo { base.info }
    func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelStreamEvent, any Error> {
        guard request.purpose == .summary else { return base.stream(request) }
        return AsyncThrowingStream { continuation in
            continuation.yield(.messageStart(id: "hang", model: "scripted"))
            continuation.yield(.textDelta("a summary that never ends"))
        }
    }
}
