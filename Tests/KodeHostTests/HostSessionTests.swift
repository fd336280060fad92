import Foundation
import KodeHost
import KodeKernel
import KodeTestSupport
import Testing

/// Reads a subscription until `stop` says so, returning what it saw.
func collect(_ events: AgentEvents, until stop: (EventEnvelope) -> Bool) async -> [EventEnvelope] {
    var seen: [EventEnvelope] = []
    for await envelope in events {
        seen.append(envelope)
        if stop(envelope) { break }
    }
    return seen
}

func isDone(_ e: EventEnvelope) -> Bool {
    if case .done = e.event { return true }
    return false
}

@Suite("Host sessions over the socket")
struct HostSessionTests {
    @Test func aTurnRunsInTheHostAndStreamsToTheClient() async throws {
        let host = try await InProcessHost(script: #"{"turns":[{"tool_calls":[{"name":"fs_glob","input":{"pattern":"*"}}]},{"text":"all done here"}]}"#)
        let hub = host.client()
        let agent = try await hub.create(host.config())
        let events = try await agent.subscribe(since: nil)
        _ = try await agent.send("look around")
        let seen = await collect(events, until: isDone)
        let text = seen.compactMap { e -> String? in
            if case .textChunk(let d) = e.event { return d.delta }
            return nil
        }.joined()
        #expect(text == "all done here")
        #expect(seen.contains { if case .toolEnd = $0.event { return true } else { return false } })
        let seqs = seen.map(\.seq)
        #expect(seqs == seqs.sorted() && Set(seqs).count == seqs.count)
        // The state a view is built from is the host's, snapshot-encoded over the wire.
        let state = try await agent.state()
        #expect(state.messages.count == 4)
        let status = try await agent.status()
        #expect(status.runtimeState == .ready)
        let listed = try await hub.list()
        #expect(listed.map(\.manifest.id) == [agent.id])
        #expect(listed.first?.live != nil)
        await agent.release(.leave)
        await host.stop()
    }

    @Test func twoClientsSeeOneStreamAndADecisionInOneReachesTheOther() async throws {
        let host = try await InProcessHost(script: #"{"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"echo hi"}}]},{"text":"ran it"}]}"#)
        let first = host.client(name: "first")
        let second = host.client(name: "second")
        let a = try await first.create(host.config(mode: .approval))
        let b = try await second.open(a.id, options: OpenOptions())
        let streamA = try await a.subscribe(since: nil)
        let streamB = try await b.subscribe(since: nil)
        _ = try await a.send("run something")
        // The approval reaches both; the second answers it.
        var itB = streamB.makeAsyncIterator()
        var callId: String?
        var seenB: [EventEnvelope] = []
        while let e = await itB.next() {
            seenB.append(e)
            if case .permissionRequired(let p) = e.event {
                callId = p.callId
                break
            }
        }
        let call = try #require(callId)
        try await b.decide(call, .allow, note: "fine", scope: .once, by: "second")
        while let e = await itB.next() {
            seenB.append(e)
            if isDone(e) { break }
        }
        let seenA = await collect(streamA, until: isDone)
        #expect(seenA.map(\.seq) == seenB.map(\.seq))
        let decided = seenA.compactMap { e -> PermissionDecidedEvent? in
            if case .permissionDecided(let d) = e.event { return d }
            return nil
        }
        #expect(decided.map(\.decidedBy) == ["second"])
        await a.release(.leave)
        await b.release(.leave)
        await host.stop()
    }

    @Test func aGracefulStopReleasesEveryLock() async throws {
        let host = try await InProcessHost(script: #"{"turns":[{"text":"hello"}]}"#)
        let hub = host.client()
        let agent = try await hub.create(host.config())
        let events = try await agent.subscribe(since: nil)
        _ = try await agent.send("hi")
        _ = await collect(events, until: isDone)
        let id = agent.id
        await host.stop()
        // The lock is free: the agent opens in this process.
        let reopened = try await Agent.resume(id: id, store: host.store, provider: DemoProvider())
        #expect(await reopened.status().lastSeq > 0)
        await reopened.close()
        // And a second host may start on the same store.
        #expect(!FileManager.default.fileExists(atPath: host.socketPath))
    }
}
