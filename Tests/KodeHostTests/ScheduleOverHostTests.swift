import Foundation
@testable import KodeHost
import KodeKernel
import KodeTestSupport
import Testing

/// The scheduler through the socket: `schedule` and `unschedule` requests, their errors, and a
/// step trigger firing in the host's turn.
@Suite("Scheduler over the host")
struct ScheduleOverHostTests {
    @Test func triggersAreAddedAndRemovedThroughAHostAndBadOnesAreRefused() async throws {
        let host = try await InProcessHost(script: #"{"turns":[{"text":"one"},{"text":"two"}]}"#)
        let hub = host.client()
        let agent = try await hub.create(host.config())
        let trigger = try await agent.addTrigger(TriggerSpec(schedule: .everySteps(1), action: .reminder("Mind the plan."), name: "plan"), by: "test")
        #expect(trigger.spec.name == "plan" && trigger.id.hasPrefix("trg_"))
        #expect(try await agent.state().schedule.triggers.map(\.id) == [trigger.id])

        // A bad spec and an unknown trigger are error replies naming the problem.
        await #expect {
            try await agent.addTrigger(TriggerSpec(schedule: .everySteps(0), action: .reminder("x")), by: "test")
        } throws: { "\($0)".contains("a step trigger needs at least 1 step") }
        await #expect {
            try await agent.removeTrigger("nope", by: "test")
        } throws: { "\($0)".contains("no trigger 'nope'") }

        // The step trigger fires in the host before the turn's second model call.
        _ = try await agent.send("go")
        try await agent.waitUntilIdle()
        _ = try await agent.send("again")
        try await agent.waitUntilIdle()
        let state = try await agent.state()
        #expect(state.schedule.triggers.first?.fires == 1)
        #expect(state.messages.contains { $0.text.contains("Mind the plan.") })
        let removed = try await agent.removeTrigger("plan", by: "test")
        #expect(removed.id == trigger.id)
        #expect(try await agent.state().schedule.triggers.isEmpty)
        await agent.release(.leave)
        await hub.disconnect()
        await host.stop()
    }

    @Test func malformedScheduleRequestsGetErrorReplies() async throws {
        let host = try await InProcessHost(script: #"{"turns":[]}"#)
        let hub = host.client()
        let id = try await hub.create(host.config()).id
        await hub.disconnect()
        let raw = try RawClient(socketPath: host.socketPath)
        try await raw.hello()
        try raw.message(#"{"type":"request","id":1,"op":"open","agent":"\#(id)"}"#)
        #expect(try await raw.next()?.contains(#""handle":1"#) == true)
        let cases: [(String, String)] = [
            (#"{"type":"request","id":2,"op":"schedule","handle":1,"spec":{"schedule":{"kind":"weekly"},"action":{"kind":"reminder","text":"x"}}}"#, "unknown trigger schedule 'weekly'"),
            (#"{"type":"request","id":3,"op":"schedule","handle":1,"spec":{"schedule":{"kind":"cron","cron":"0 24 * * *","timeZone":"UTC"},"action":{"kind":"message","text":"x"}}}"#, "field 2 (hour)"),
            (#"{"type":"request","id":4,"op":"schedule","handle":1,"spec":{"schedule":{"kind":"steps","steps":2},"action":{"kind":"shout","text":"x"}}}"#, "unknown trigger action 'shout'"),
            (#"{"type":"request","id":5,"op":"unschedule","handle":1,"trigger":"trg_missing"}"#, #""code":"not_found""#),
        ]
        for (message, expected) in cases {
            try raw.message(message)
            let reply = try #require(try await raw.next())
            #expect(reply.contains(#""error""#) && reply.contains(expected), "\(message) → \(reply.prefix(300))")
        }
        await host.stop()
    }
}
