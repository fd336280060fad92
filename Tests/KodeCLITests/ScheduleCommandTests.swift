import Foundation
import KodeKernel
import KodeTestSupport
import Testing

/// `kode schedule` and the host's scheduler, on the real binary and a real `kode serve`.
@Suite("kode schedule and the host scheduler", .serialized)
struct ScheduleCommandTests {
    @Test func badSchedulesAreRefusedSayingWhatAndWhere() async throws {
        let f = try CLIFixture()
        let script = try f.script(#"{"turns":[{"text":"hello"}]}"#)
        let id = try #require(try await f.run(script, ["--prompt", "hi", "--permission", "auto"]).agentId)

        let cron = try await KodeCLI.run(["schedule", "add", id, "--cron", "0 25 * * *", "--message", "x", "--store", f.store])
        #expect(cron.status == 2)
        #expect(cron.stderr.contains("field 2 (hour), column 3, '25': 25 is out of range for the hour (0–23)"), "\(cron.stderr)")

        let interval = try await KodeCLI.run(["schedule", "add", id, "--every", "5 minutes", "--message", "x", "--store", f.store])
        #expect(interval.status == 2 && interval.stderr.contains("interval '5 minutes'"), "\(interval.stderr)")

        let two = try await KodeCLI.run(["schedule", "add", id, "--every", "5m", "--every-steps", "2", "--remind", "x", "--store", f.store])
        #expect(two.status != 0 && two.stderr.contains("exactly one of --every-steps, --every and --cron"), "\(two.stderr)")

        let none = try await KodeCLI.run(["schedule", "remove", id, "nope", "--store", f.store])
        #expect(none.status == 2 && none.stderr.contains("no trigger 'nope'"), "\(none.stderr)")

        let steps = try await KodeCLI.run(["schedule", "add", id, "--every-steps", "3", "--remind", "Re-read the plan.", "--name", "plan", "--store", f.store])
        #expect(steps.status == 0 && steps.stdout.contains("every 3 steps"), "\(steps.stderr)")
        #expect(!steps.stdout.contains("kode serve"), "step triggers need no host")
        let list = try await KodeCLI.run(["schedule", "list", id, "--store", f.store])
        #expect(list.stdout.contains("plan") && list.stdout.contains("next after 3 more model call(s)"), "\(list.stdout)")
    }

    @Test func theHostFiresTimedTriggersWithNobodyAttachedAndCatchesUpOnce() async throws {
        let f = try CLIFixture()
        let script = try f.script(#"{"turns":[{"text":"hello"},{"text":"fired answer"},{"text":"tick answer"},{"text":"more"},{"text":"more"},{"text":"more"}]}"#)
        let id = try #require(try await f.run(script, ["--prompt", "hi", "--permission", "auto"]).agentId)

        // Added with no host running: due in an hour of real time.
        let add = try await KodeCLI.run(["schedule", "add", id, "--every", "1h", "--message", "Scheduled ping", "--name", "ping", "--store", f.store])
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout.contains("none runs now"), "says timed triggers need a host: \(add.stdout)")

        // The host runs three hours and a minute "later" (its clock is shifted): the ping was due
        // three times; it fires once when the host starts, with nobody attached.
        let host = try await HostProcess(store: f.store, environment: ["KODE_CLOCK_OFFSET_SECONDS": "10860"])
        let hub = host.client()
        try await eventually("the host to fire the ping and answer it") {
            let state = try await hub.state(of: id, at: nil).state
            return state.messages.last?.text == "fired answer"
        }
        let state = try await hub.state(of: id, at: nil).state
        let ping = try #require(state.schedule.triggers.first { $0.spec.name == "ping" })
        #expect(ping.fires == 1)
        #expect(state.messages.contains { $0.role == .user && $0.text == "Scheduled ping" })
        let status = try await KodeCLI.run(["serve", "--status", "--store", f.store])
        #expect(status.stdout.contains("\(id)") && status.stdout.contains("0 attached"), "\(status.stdout)")

        // A trigger added through the host fires on the host's own timer.
        let tick = try await KodeCLI.run(["schedule", "add", id, "--every", "1s", "--message", "tick", "--name", "tick", "--store", f.store])
        #expect(tick.status == 0 && !tick.stdout.contains("none runs now"), "\(tick.stdout) \(tick.stderr)")
        try await eventually("the host's timer to fire the tick") {
            try await hub.state(of: id, at: nil).state.schedule.triggers.first { $0.spec.name == "tick" }.map { $0.fires >= 1 } ?? false
        }
        let removed = try await KodeCLI.run(["schedule", "remove", id, "tick", "--store", f.store])
        #expect(removed.status == 0 && removed.stdout.contains("removed"), "\(removed.stderr)")
        try await host.stop()

        // Every fire is in the log once, as `scheduler_triggered` on the Monitor channel, and the
        // ping's catch-up fire counts the two it folded in.
        let fires = try await f.events(id).filter { $0.event.type == .schedulerTriggered }
        #expect(fires.allSatisfy { $0.channel == .monitor })
        let pings = fires.compactMap { envelope -> SchedulerTriggeredEvent? in
            if case .schedulerTriggered(let e) = envelope.event, e.name == "ping" { return e }
            return nil
        }
        #expect(pings.count == 1 && pings.first?.missed == 2)

        // Restarted with the same shifted clock, the host fires nothing twice. A second trigger,
        // due at the restart, shows the host's first pass over the agent is done: it fires every
        // due trigger of the agent at once, so the ping would have fired with it.
        let marker = try await KodeCLI.run(["schedule", "add", id, "--every", "1h", "--remind", "marker", "--name", "marker", "--store", f.store])
        #expect(marker.status == 0, "\(marker.stderr)")
        let again = try await HostProcess(store: f.store, environment: ["KODE_CLOCK_OFFSET_SECONDS": "10860"])
        let againHub = again.client()
        try await eventually("the restarted host to fire the marker") {
            try await againHub.state(of: id, at: nil).state.schedule.triggers.first { $0.spec.name == "marker" }.map { $0.fires == 1 } ?? false
        }
        let pingAfter = try await againHub.state(of: id, at: nil).state.schedule.triggers.first { $0.spec.name == "ping" }
        #expect(pingAfter?.fires == 1, "the ping's fire was recorded with its next time; a restart does not repeat it")
        try await again.stop()
    }

    @Test func aHostKilledBetweenAFireAndItsTurnAnswersTheMessageWhenItComesBack() async throws {
        let f = try CLIFixture()
        let script = try f.script(#"{"turns":[{"text":"hello"},{"text":"fired answer"}]}"#)
        let id = try #require(try await f.run(script, ["--prompt", "hi", "--permission", "auto"]).agentId)
        let add = try await KodeCLI.run(["schedule", "add", id, "--every", "1h", "--message", "Scheduled ping", "--name", "ping", "--store", f.store])
        #expect(add.status == 0, "\(add.stderr)")

        // The host fires the ping, starts its turn and is killed at the turn's first breakpoint,
        // before the turn's first durable commit: the log holds the fire and the queued message.
        let doomed = try KodeCLI.start(["serve", "--store", f.store], environment: [
            "KODE_CLOCK_OFFSET_SECONDS": "10860", "KODE_FAULT_KILL_AT_BREAKPOINT": "PRE_MODEL",
        ])
        let killed = try await doomed.finish(timeout: .seconds(120))
        #expect(killed.status != 0, "the host killed itself at PRE_MODEL: \(killed.stderr)")
        #expect(try await f.events(id).filter { $0.event.type == .schedulerTriggered }.count == 1)
        let exported = try await KodeCLI.run(["export", id, "--store", f.store])
        #expect(exported.status == 0 && !exported.stdout.contains("Scheduled ping"), "the message never reached the conversation: \(exported.stdout)")

        // The next host sees the fired message waiting and runs its turn, without firing again.
        let host = try await HostProcess(store: f.store, environment: ["KODE_CLOCK_OFFSET_SECONDS": "10860"])
        let hub = host.client()
        try await eventually("the next host to answer the fired message") {
            try await hub.state(of: id, at: nil).state.messages.last?.text == "fired answer"
        }
        let state = try await hub.state(of: id, at: nil).state
        #expect(state.schedule.triggers.first?.fires == 1)
        #expect(state.schedule.unansweredMessages.isEmpty)
        #expect(state.messages.filter { $0.text == "Scheduled ping" }.count == 1)
        try await host.stop()
    }
}
