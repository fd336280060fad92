import Foundation
import KodeKernel
import KodeTUI
import KodeTestSupport
import Testing

/// Client-level behaviour the app relies on: switching away never interrupts a turn, an
/// approval that survived a restart continues the turn, `c` labels the checkpoint it is on.
@Suite struct ClientSwitchTests {
    @Test func approvingARequestThatSurvivedARestartRunsTheToolAndEndsTheTurn() async throws {
        let store = InMemoryStore()
        let hub = try ClientFixtures.hub(script: #"{"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"echo hi"}}]},{"text":"ran it"}]}"#, store: store)
        let first = try await hub.create(ClientFixtures.config(.approval))
        try await ClientFixtures.turn(first, "run something", until: ClientFixtures.isApproval)
        let id = first.id
        await first.release(.detach)  // the process goes away with the request pending

        let reopened = try await hub.open(id, options: OpenOptions())
        let status = try await reopened.status()
        let call = try #require(status.pendingApprovals.first)
        let events = try await reopened.subscribe(since: nil)
        try await reopened.decide(call.id, .allow)  // no continueTurn: the decision is enough
        let done = try #require(await ClientFixtures.next(events, ClientFixtures.isDone))
        guard case .done(let e) = done.event else { return }
        #expect(e.reason == .completed)
        let state = try await reopened.state()
        #expect(state.toolCalls[call.id]?.state == .completed)
        #expect(state.messages.last?.text == "ran it")
        events.cancel()
        await reopened.release(.leave)
    }

    @Test func leavingARunningAgentInTheBackgroundLetsItsTurnFinish() async throws {
        // A slow reply: the switch happens while it streams.
        let hub = try ClientFixtures.hub(script: #"{"turns":[{"text":"one two three four five six seven eight"}],"chunk_size":2,"chunk_delay_ms":20}"#)
        let handle = try await hub.create(ClientFixtures.config())
        let events = try await handle.subscribe(since: nil)
        _ = try await handle.send("go")
        _ = await ClientFixtures.next(events) { if case .textChunk = $0.event { return true } else { return false } }
        await handle.release(.background)
        #expect(await hub.backgroundAgents() == [handle.id])
        let done = try #require(await ClientFixtures.next(events, ClientFixtures.isDone))
        guard case .done(let e) = done.event else { return }
        #expect(e.reason == .completed, "the turn was not cut")
        // Once the turn is over the agent is let go (its event stream ends with the close).
        await untilEnd(of: events, "the background agent's events to end with its close")
        #expect(await hub.backgroundAgents().isEmpty)
        let view = try await hub.state(of: handle.id, at: nil)
        #expect(view.state.messages.last?.text == "one two three four five six seven eight")
    }

    @Test func aCheckpointOtherThanTheNewestGetsTheLabel() async throws {
        let hub = try ClientFixtures.hub(script: #"{"turns":[{"text":"a"},{"text":"b"}]}"#)
        let handle = try await hub.create(ClientFixtures.config())
        try await ClientFixtures.turn(handle, "first")
        try await ClientFixtures.turn(handle, "second")
        let points = try await handle.state().checkpoints
        let oldest = try #require(points.first)
        let labelled = try await handle.checkpoint(label: "start", at: oldest.id)
        #expect(labelled.id == oldest.id)
        let after = try await handle.state().checkpoints
        #expect(after.first?.label == "start")
        #expect(after.last?.label == nil)
        await handle.release(.leave)
    }

    @Test func theTreesLabelKeyLabelsTheSelectedCheckpoint() {
        var m = Fixtures.model(width: 120, height: 30)
        GoldenScreenTests.tree(&m)
        m.focus = .tree
        m.tree.select(agent: Fixtures.agentId)
        m.tree.moveDown()  // cp_3
        _ = Update.apply(.input(.key(.char("c"))), to: &m, now: Fixtures.t0)
        for ch in "x" { _ = Update.apply(.input(.key(.char(ch))), to: &m, now: Fixtures.t0) }
        #expect(Update.apply(.input(.key(.enter)), to: &m, now: Fixtures.t0) == [.checkpoint(label: "x", at: "cp_3")])
    }
}
