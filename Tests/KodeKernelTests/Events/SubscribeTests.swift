import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Subscribe")
struct SubscribeTests {
    @Test("since replays stored events, then continues live with no gap and no duplicate")
    func replayThenLive() async throws {
        let h = try await AgentHarness.make(script: #"{"turns":[{"text":"first"},{"text":"second"},{"text":"third"}]}"#)
        let everything = EventRecorder(h.agent)
        let first = try await h.agent.chat("one")
        let mid = try await everything.wait(for: .textChunk)
        try await everything.wait(for: .done)
        let resumed = EventRecorder(h.agent, since: mid.bookmark)
        _ = try await h.agent.chat("two")
        try await resumed.wait { if case .done(let d) = $0.event { return d.bookmark.seq > first.bookmark.seq } else { return false } }
        try await everything.wait { if case .done(let d) = $0.event { return d.bookmark.seq > first.bookmark.seq } else { return false } }
        let expected = everything.all.filter { $0.seq > mid.seq }.map(\.seq)
        let got = resumed.all.map(\.seq)
        #expect(got == expected)
        #expect(Set(got).count == got.count)
        await h.tearDown()
    }

    @Test("channels and kinds filter what a subscriber sees")
    func filters() async throws {
        let h = try await AgentHarness.make(script: #"{"turns":[{"tool_calls":[{"name":"fs_glob","input":{"pattern":"*"}}]},{"text":"ok"}]}"#)
        let control = h.agent.subscribe(channels: [.monitor], kinds: [.toolExecuted, .done])
        let progressOnly = EventRecorder(h.agent, kinds: [.toolEnd, .done])
        let collector = Task { () -> [EventType] in
            var types: [EventType] = []
            for await envelope in control {
                types.append(envelope.event.type)
                if types.count == 1 { break }
            }
            return types
        }
        _ = try await h.agent.chat("go")
        try await progressOnly.wait(for: .done)
        #expect(await collector.value == [.toolExecuted], "done is on the progress channel, excluded by channels")
        #expect(Set(progressOnly.types) == [.toolEnd, .done])
        await h.tearDown()
    }

    @Test("on() calls back for one type until cancelled")
    func onCallback() async throws {
        let h = try await AgentHarness.make(script: #"{"turns":[{"text":"a"},{"text":"b"}]}"#)
        let counter = Counter()
        let handle = h.agent.on(.done) { _ in Task { await counter.bump() } }
        _ = try await h.agent.chat("one")
        try await Task.sleep(for: .milliseconds(100))
        handle.cancel()
        _ = try await h.agent.chat("two")
        try await Task.sleep(for: .milliseconds(100))
        #expect(await counter.value == 1)
        await h.tearDown()
    }
}

actor Counter {
    var value = 0
    func bump() { value += 1 }
}
