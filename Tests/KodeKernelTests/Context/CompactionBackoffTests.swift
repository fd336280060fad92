import Foundation
import KodeKernel
import KodeTestSupport
import Synchronization
import Testing

@Suite("Compaction back-off")
struct CompactionBackoffTests {
    /// A tool step whose reply the provider counted as `tokens` input tokens.
    static func toolStep(_ tokens: Int) -> String {
        #"{"tool_calls":[{"name":"todo_read","input":{}}],"usage":{"input":\#(tokens),"output":10}}"#
    }

    @Test("a failed threshold compaction is tried again only after the conversation grew or a new turn began, reported once per failure; a success clears the back-off")
    func backoff() async throws {
        // Window 20,000 tokens, threshold 10,000; a retry needs 10 more messages or 1,000 more
        // tokens. Each tool step adds two messages and keeps the count near its `usage`.
        let turns = [
            #"{"text":"first"}"#,
            // "second": step 1 is under the threshold; step 2 fails (attempt 1); steps 3 and 4
            // are held back; step 5 follows 1,500 more tokens and fails (attempt 2); step 6 is
            // held back.
            Self.toolStep(11_000), Self.toolStep(11_000), Self.toolStep(11_000), Self.toolStep(12_500),
            Self.toolStep(12_500), #"{"text":"two","usage":{"input":12500,"output":10}}"#,
            // "third": a new turn, so step 1 tries at once and fails (attempt 3); step 2 is held
            // back; step 3 follows 1,500 more tokens and succeeds (attempt 4). Back over the
            // threshold, step 4 tries at once (attempt 5): nothing of the old back-off is left.
            Self.toolStep(12_500), Self.toolStep(14_000), Self.toolStep(11_000),
            #"{"text":"three"}"#,
        ]
        let script = #"{"summary":"what was said","turns":["# + turns.joined(separator: ",") + "]}"
        let summaries = FailingSummaries.Counter(failures: 3)
        let box = ProviderBox()
        let h = try await AgentHarness.make(script: script, context: CompactionTests.policy) {
            box.wrap(FailingSummaries($0, counter: summaries))
        }
        _ = try await h.agent.chat(CompactionTests.long)
        #expect(try await h.agent.chat("second").reason == .completed)
        #expect(summaries.attempts == 2, "six steps over the threshold, two attempts: the first, and one after the estimate grew")
        #expect(try await Self.warnings(h).count == 2, "one warning per failure, none for the steps held back")

        #expect(try await h.agent.chat("third").reason == .completed)
        #expect(summaries.attempts == 5)
        let warnings = try await Self.warnings(h)
        #expect(warnings.count == 3)
        let warning = try #require(warnings.last)
        #expect(warning.severity == .warning)
        #expect(warning.detail == "the summary service is down")
        #expect(warning.message.contains("tried again after 10 more messages, 1000 more tokens or at the next turn"))

        let state = await h.agent.snapshot()
        #expect(state.messages.last?.text == "three")
        #expect(state.compaction?.summary == "what was said")
        let requests = try #require(box.provider).requests
        #expect(requests.filter { $0.purpose == .summary }.count == 5)
        #expect(requests.filter { $0.purpose == .reply }.count == 11)
        await h.tearDown()
    }

    @Test("a manual compaction is not held back by a failed threshold compaction")
    func manualIgnoresBackoff() async throws {
        let turns = [#"{"text":"first"}"#, Self.toolStep(11_000), Self.toolStep(11_000), #"{"text":"two"}"#]
        let script = #"{"turns":["# + turns.joined(separator: ",") + "]}"
        let summaries = FailingSummaries.Counter(failures: 1)
        let h = try await AgentHarness.make(script: script, context: CompactionTests.policy) { FailingSummaries($0, counter: summaries) }
        _ = try await h.agent.chat(CompactionTests.long)
        _ = try await h.agent.chat("second")
        #expect(summaries.attempts == 1)
        try await h.agent.compact(instructions: nil)
        #expect(summaries.attempts == 2)
        #expect(await h.agent.snapshot().compaction?.trigger == .manual)
        await h.tearDown()
    }

    /// The compaction warnings in the agent's log, oldest first.
    static func warnings(_ h: AgentHarness) async throws -> [ErrorEvent] {
        try await h.store.records(of: h.agent.id, after: 0).compactMap { record in
            guard case .event(.error(let e)) = record.body, e.message.hasPrefix("compaction failed") else { return nil }
            return e
        }
    }
}

/// Answers as the wrapped provider does, except that its first `failures` summary requests fail
/// as an unavailable provider would; counts the summary requests.
struct FailingSummaries: ModelProvider {
    final class Counter: Sendable {
        let failures: Int
        private let count = Mutex(0)
        init(failures: Int) { self.failures = failures }
        var attempts: Int { count.withLock { $0 } }
        /// Counts one attempt; whether it fails.
        func next() -> Bool { count.withLock { $0 += 1; return $0 <= failures } }
    }

    let base: any ModelProvider
    let counter: Counter
    init(_ base: any ModelProvider, counter: Counter) {
        self.base = base
        self.counter = counter
    }

    var info: ProviderInfo { base.info }

    func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelStreamEvent, any Error> {
        guard request.purpose == .summary, counter.next() else { return base.stream(request) }
        return AsyncThrowingStream { $0.finish(throwing: ModelError(.server, "the summary service is down")) }
    }
}
