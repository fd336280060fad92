import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Scheduler: timed triggers across restarts")
struct TimedTriggerRestartTests {
    static let script = #"{"turns":[{"text":"one"},{"text":"two"},{"text":"three"},{"text":"four"},{"text":"five"}]}"#

    @Test func anIntervalMessageFiresOnceDueNeverTwiceAndCatchesUpOnceAfterDowntime() async throws {
        let f = try SchedulerFixture(script: Self.script)
        let start = f.clock.now()
        var agent = try await f.create()
        let trigger = try await agent.addTrigger(TriggerSpec(schedule: .every(seconds: 600), action: .message("Status?")))
        #expect(trigger.nextFire == start.addingTimeInterval(600))

        // Not due yet: nothing happens.
        f.clock.advance(by: 599)
        #expect(try await agent.fireDueTriggers() == start.addingTimeInterval(600))
        #expect(try await f.fires(of: agent.id).isEmpty)

        // Due: one fire, its message queued and answered.
        f.clock.advance(by: 1)
        let recorder = EventRecorder(agent, kinds: [.done])
        #expect(try await agent.fireDueTriggers() == start.addingTimeInterval(1200))
        try await recorder.wait(for: .done)
        var fires = try await f.fires(of: agent.id)
        #expect(fires.count == 1 && fires[0].missed == 0 && fires[0].dueAt == start.addingTimeInterval(600))
        #expect(await agent.snapshot().messages.contains { $0.id == fires[0].deliveryId && $0.text == "Status?" })
        await agent.close()

        // A restart at the same instant: the fire is in the log with the next time, so nothing repeats.
        agent = try await f.reopen(agent.id)
        #expect(try await agent.fireDueTriggers() == start.addingTimeInterval(1200))
        #expect(try await f.fires(of: agent.id).count == 1)
        await agent.close()

        // Down over three fire times (1200, 1800, 2400): one fire on the way back up, two missed,
        // and the next time keeps the trigger's phase.
        f.clock.advance(by: 2500 - 600)
        agent = try await f.reopen(agent.id)
        let idle = EventRecorder(agent, kinds: [.done])
        #expect(try await agent.fireDueTriggers() == start.addingTimeInterval(3000))
        try await idle.wait(for: .done)
        fires = try await f.fires(of: agent.id)
        #expect(fires.count == 2)
        #expect(fires[1].missed == 2 && fires[1].dueAt == start.addingTimeInterval(1200) && fires[1].nextFire == start.addingTimeInterval(3000))
        await agent.close()
    }

    @Test func aFireDueWhileNothingRanIsNotLost() async throws {
        let f = try SchedulerFixture(script: Self.script)
        var agent = try await f.create()
        try await agent.addTrigger(TriggerSpec(schedule: .every(seconds: 60), action: .reminder("Stretch.")))
        // The process stops before the trigger is due and nothing runs when it is.
        await agent.close()
        f.clock.advance(by: 90)
        agent = try await f.reopen(agent.id)
        _ = try await agent.fireDueTriggers()
        let fires = try await f.fires(of: agent.id)
        #expect(fires.count == 1)
        // A timed reminder waits for the next model call and survives a restart while waiting.
        #expect(await agent.snapshot().schedule.pendingReminders.map(\.id) == [fires[0].deliveryId])
        await agent.close()
        agent = try await f.reopen(agent.id)
        #expect(await agent.snapshot().schedule.pendingReminders.count == 1)
        let recorder = RecordingProvider(ScriptedProvider(script: f.script))
        await agent.close()
        agent = try await f.reopen(agent.id, provider: recorder)
        _ = try await agent.chat("hello")
        #expect(recorder.replyRequests.first?.messages.last?.text.contains("Stretch.") == true)
        #expect(await agent.snapshot().schedule.pendingReminders.isEmpty)
        // Delivered once: the next turn does not send it again.
        _ = try await agent.chat("again")
        let sent = await agent.snapshot().messages.filter { $0.text.contains("Stretch.") }
        #expect(sent.count == 1)
        await agent.close()
    }

    @Test func aCronTriggerFiresAtItsTimesAcrossARestartAndASnapshot() async throws {
        // 2026-12-01T08:30:00Z; the trigger fires at 09:00 UTC on weekdays.
        let f = try SchedulerFixture(script: Self.script, start: try Date("2026-12-01T08:30:00Z", strategy: .iso8601))
        var agent = try await f.create()
        let trigger = try await agent.addTrigger(TriggerSpec(
            schedule: .cron(try CronExpression("0 9 * * 1-5"), timeZone: "UTC"), action: .message("Morning report."), name: "morning"))
        #expect(trigger.nextFire == (try Date("2026-12-01T09:00:00Z", strategy: .iso8601)))
        await agent.close()

        // Down from Tuesday 08:30 to Friday 09:30: Tue, Wed, Thu and Fri 09:00 passed — one fire, three missed.
        f.clock.set(try Date("2026-12-04T09:30:00Z", strategy: .iso8601))
        agent = try await f.reopen(agent.id)
        let done = EventRecorder(agent, kinds: [.done])
        let next = try await agent.fireDueTriggers()
        #expect(next == (try Date("2026-12-07T09:00:00Z", strategy: .iso8601)), "Friday is done; Monday is next")
        try await done.wait(for: .done)
        var fires = try await f.fires(of: agent.id)
        #expect(fires.count == 1 && fires[0].missed == 3)
        await agent.close()

        // Whatever snapshot the close wrote, the reopened agent has the new time and fires nothing more.
        agent = try await f.reopen(agent.id)
        #expect(await agent.nextTriggerFire() == (try Date("2026-12-07T09:00:00Z", strategy: .iso8601)))
        #expect(try await agent.fireDueTriggers() == next)
        fires = try await f.fires(of: agent.id)
        #expect(fires.count == 1)
        await agent.close()
    }

    @Test func theScheduleSurvivesTheSnapshotEncoding() throws {
        var state = AgentState(id: "agt_x")
        state.schedule.triggers = [
            ScheduledTrigger(id: "trg_a", spec: TriggerSpec(schedule: .everySteps(3), action: .reminder("r"), name: "a"),
                             created: Date(timeIntervalSince1970: 1000), nextFire: nil, anchorStep: 7, fires: 2),
            ScheduledTrigger(id: "trg_b", spec: TriggerSpec(schedule: .cron(try CronExpression("*/5 * * * *"), timeZone: "UTC"), action: .message("m")),
                             created: Date(timeIntervalSince1970: 2000), nextFire: Date(timeIntervalSince1970: 3000), anchorStep: 0, fires: 0),
            ScheduledTrigger(id: "trg_c", spec: TriggerSpec(schedule: .every(seconds: 90), action: .message("i")),
                             created: Date(timeIntervalSince1970: 2000), nextFire: Date(timeIntervalSince1970: 2090), anchorStep: 0),
        ]
        state.schedule.pendingReminders = [.init(id: "rem_1", text: "later", triggerId: "trg_b")]
        state.schedule.unansweredMessages = ["in_2"]
        state.schedule.modelSteps = 11
        let decoded = try AgentState.decode(try state.encoded())
        #expect(decoded.schedule == state.schedule)
        // And through JSON (how events carry triggers).
        let json = try JSONEncoder().encode(state.schedule)
        #expect(try JSONDecoder().decode(ScheduleState.self, from: json) == state.schedule)
    }
}
