import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Scheduler: a hub fires timed triggers with nobody attached")
struct HubSchedulerTests {
    @Test func aTimedMessageStartsATurnAfterTheLastHandleLetGo() async throws {
        let directory = try TemporaryDirectory(prefix: "kode-sched-hub")
        let store = try FileStore(root: directory.url.appendingPathComponent("store"))
        let clock = ManualClock(Date(timeIntervalSince1970: 1_796_000_000))
        let script = try ScriptedScript.parse(Data(#"{"turns":[{"text":"on it"},{"text":"again"}]}"#.utf8), source: "t")
        var wiring = AgentWiring(makeProvider: { _ in ScriptedProvider(script: script) })
        wiring.clock = clock
        let hub = LocalAgentHub(store: store, wiring: wiring, retention: .keepOpen(maxOpen: 8))
        let scheduler = HubScheduler(hub: hub, clock: clock)
        #expect(await scheduler.start().isEmpty)

        let handle = try await hub.create(AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: directory.url.path))
        let events = try await handle.subscribe(channels: [.monitor, .progress], since: nil, kinds: [.schedulerTriggered, .done])
        let trigger = try await handle.addTrigger(TriggerSpec(schedule: .every(seconds: 300), action: .message("Check the build.")), by: "test")
        await handle.release(.leave)
        #expect(await hub.openAgents().first?.attached == 0)

        clock.advance(by: 300)
        var iterator = events.makeAsyncIterator()
        var fired: SchedulerTriggeredEvent?
        var done: DoneEvent?
        while done == nil, let envelope = await iterator.next() {
            if case .schedulerTriggered(let e) = envelope.event { fired = e }
            if case .done(let e) = envelope.event { done = e }
        }
        let fire = try #require(fired)
        #expect(fire.triggerId == trigger.id && fire.missed == 0)
        #expect(done?.inputIds == [fire.deliveryId], "the turn answered the fired message")
        events.cancel()

        // A scheduler started later (a host restarted) finds the next fire time in the log.
        let later = HubScheduler(hub: LocalAgentHub(store: store, wiring: wiring, retention: .keepOpen(maxOpen: 8)), clock: clock)
        let found = await later.start()
        #expect(found[handle.id] == Date(timeIntervalSince1970: 1_796_000_600))
        await later.stop()
        await scheduler.stop()
        await hub.shutDown(grace: .seconds(5))
    }
}
