import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Scheduler: step triggers")
struct StepTriggerTests {
    static let script = #"""
        {"turns":[
          {"tool_calls":[{"name":"fs_glob","input":{"pattern":"*"}}]},
          {"tool_calls":[{"name":"fs_glob","input":{"pattern":"*"}}]},
          {"tool_calls":[{"name":"fs_glob","input":{"pattern":"*"}}]},
          {"text":"first done"},
          {"tool_calls":[{"name":"fs_glob","input":{"pattern":"*"}}]},
          {"text":"second done"}
        ]}
        """#

    @Test func aReminderReachesTheModelAfterEveryNModelCallsAcrossARestart() async throws {
        let f = try SchedulerFixture(script: Self.script)
        let agent = try await f.create()
        let trigger = try await agent.addTrigger(TriggerSpec(schedule: .everySteps(2), action: .reminder("Check the plan."), name: "plan"))
        #expect(trigger.nextFire == nil && trigger.anchorStep == 0)
        let done = try await agent.chat("work")
        #expect(done.reason == .completed)

        // Four model calls: the reminder goes in before the third (after two), and not again.
        var fires = try await f.fires(of: agent.id)
        #expect(fires.map(\.atStep) == [2])
        let messages = await agent.snapshot().messages
        let index = try #require(messages.firstIndex { $0.id == fires[0].deliveryId })
        #expect(messages[..<index].count { $0.role == .assistant } == 2)
        #expect(messages[index].text.contains("<system-reminder>") && messages[index].text.contains("Check the plan."))
        await agent.close()

        // After a restart the count goes on from the log: calls 5 and 6 make it fire before the 5th
        // (two calls after the last fire at 2 is 4, so before call 5), once.
        let recorder = RecordingProvider(ScriptedProvider(script: f.script))
        let reopened = try await f.reopen(agent.id, provider: recorder)
        #expect(await reopened.triggers().first?.anchorStep == 2)
        _ = try await reopened.chat("more")
        fires = try await f.fires(of: agent.id)
        #expect(fires.map(\.atStep) == [2, 4])
        let firstRequest = try #require(recorder.replyRequests.first)
        #expect(firstRequest.messages.last?.text.contains("Check the plan.") == true, "sent right before the model call")
        #expect(await reopened.triggers().first?.fires == 2)
        await reopened.close()
    }

    @Test func aStepMessageIsAUserMessageAndARemovedTriggerStops() async throws {
        let f = try SchedulerFixture(script: Self.script)
        let agent = try await f.create()
        try await agent.addTrigger(TriggerSpec(schedule: .everySteps(1), action: .message("Keep going."), name: "nudge"))
        let recorder = EventRecorder(agent, kinds: [.schedulerTriggered])
        _ = try await agent.chat("work")
        // Before calls 2, 3 and 4 (one call each since the last fire).
        #expect(try await f.fires(of: agent.id).map(\.atStep) == [1, 2, 3])
        let nudges = await agent.snapshot().messages.filter { $0.role == .user && $0.text == "Keep going." }
        #expect(nudges.count == 3)
        #expect(recorder.all.allSatisfy { $0.channel == .monitor })
        try await agent.removeTrigger("nudge")
        #expect(await agent.triggers().isEmpty)
        await #expect(throws: ScheduleError.notFound("nudge")) { try await agent.removeTrigger("nudge") }
        _ = try await agent.chat("again")
        #expect(try await f.fires(of: agent.id).count == 3)
        await agent.close()
    }

    @Test func invalidTriggersAreRefusedWithAReason() async throws {
        let f = try SchedulerFixture(script: Self.script)
        let agent = try await f.create()
        await #expect(throws: ScheduleError.invalid("a step trigger needs at least 1 step, not 0")) {
            try await agent.addTrigger(TriggerSpec(schedule: .everySteps(0), action: .reminder("x")))
        }
        await #expect(throws: ScheduleError.self) {
            try await agent.addTrigger(TriggerSpec(schedule: .cron(try CronExpression("0 9 * * *"), timeZone: "Mars/Olympus"), action: .reminder("x")))
        }
        await #expect(throws: ScheduleError.self) {
            try await agent.addTrigger(TriggerSpec(schedule: .every(seconds: 60), action: .message("  ")))
        }
        try await agent.addTrigger(TriggerSpec(schedule: .every(seconds: 60), action: .message("a"), name: "same"))
        await #expect(throws: ScheduleError.self) {
            try await agent.addTrigger(TriggerSpec(schedule: .every(seconds: 60), action: .message("b"), name: "same"))
        }
        #expect(await agent.triggers().count == 1)
        await agent.close()
    }
}
