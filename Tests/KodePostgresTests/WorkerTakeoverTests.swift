import Foundation
import KodeKernel
import KodePostgres
import KodeTestSupport
import Testing

/// Several `kode serve` workers on one database (docs/POSTGRES.md, "Workers and takeover"):
/// a killed owner's agents are taken over by another worker and resumed by the recovery table;
/// a gracefully stopped one's are handed back and picked up unsealed.
@Suite(.serialized) struct WorkerTakeoverTests {
    @Test func aWorkerKilledMidToolIsTakenOverWithinFiveSeconds() async throws {
        try await TestPostgres.withSchema { url in
            let f = try WorkerFixture(url: url)
            let script = try f.script(#"{"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"echo $$ > tool.pid; echo started >> effects.txt; exec sleep 600"}}]},{"text":"continued on the survivor"}]}"#)
            let first = try await f.worker("a")
            let survivor = try await f.worker("b")
            let run = try KodeCLI.start(["run", "--workdir", f.workDir, "--provider", "scripted", "--script", script, "--prompt", "go", "--permission", "auto", "--json"], environment: first.clientEnvironment)
            try await eventually("the tool to start") { f.file("effects.txt").contains("started") }
            let id = try #require(run.stderrSoFar.split(separator: "\n").first { $0.hasPrefix("agent: ") }.map { String($0.dropFirst(7)) })
            #expect(try await f.ownerPID(id) == first.process.pid, "the first worker owns the agent it created")

            try await first.kill()
            let killed = ContinuousClock.now
            // A kill -9 leaves the tool's own process running, as it would anywhere; end it.
            if let pid = Int32(f.file("tool.pid").trimmingCharacters(in: .whitespacesAndNewlines)) { kill(pid, SIGKILL) }
            run.signal(SIGKILL)
            _ = try await run.finish()

            let store = try await PostgresStore.open(url)
            // Taken over: the survivor owns it and has resumed it (the running call sealed).
            try await eventually("the survivor to take the agent over") {
                let state = try await f.storedState(id, in: store)
                return try await f.ownerPID(id) == survivor.process.pid && !state.toolCalls.isEmpty && state.toolCalls.values.allSatisfy { $0.state == .sealed }
            }
            let takeover = ContinuousClock.now - killed
            #expect(takeover < .seconds(5), "taken over after \(takeover)")
            let state = try await f.storedState(id, in: store)
            #expect(state.pendingApprovals.isEmpty)

            // The turn continues from a client attached to the survivor.
            let resumed = try await KodeCLI.run(["run", "--agent", id, "--continue"], environment: survivor.clientEnvironment)
            #expect(resumed.status == 0, "\(resumed.stderr)")
            let after = try await f.storedState(id, in: store)
            let uses = after.messages.flatMap(\.content).compactMap { block -> String? in if case .toolUse(let use, _, _) = block { return use } else { return nil } }
            let results = after.messages.flatMap(\.content).compactMap { block -> String? in if case .toolResult(let use, _, _) = block { return use } else { return nil } }
            #expect(uses.sorted() == results.sorted() && Set(results).count == results.count, "no orphan tool calls: uses \(uses), results \(results)")
            #expect(after.messages.last?.text.contains("continued on the survivor") == true)
            #expect(f.file("effects.txt") == "started\n", "the sealed tool never ran again")
            await store.shutdown()
            try await survivor.stop()
        }
    }

    @Test func aStalledWorkerIsCutOffWhenItsLeaseRunsOutAndWritesNothingAfter() async throws {
        try await TestPostgres.withSchema { url in
            let f = try WorkerFixture(url: url)
            let stalled = try await f.worker("a")
            let (id, callId) = try await f.runToApproval(on: stalled, script: #"{"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"echo ran >> effects.txt"}}]},{"text":"after the approval"}]}"#)
            let other = try await f.worker("b")

            stalled.process.signal(SIGSTOP)
            let stopped = ContinuousClock.now
            // Its connections stay open: only the lease running out lets the other take over.
            try await eventually("the other worker to take the stalled one's agent") { try await f.ownerPID(id) == other.process.pid }
            let takeover = ContinuousClock.now - stopped
            #expect(takeover < .seconds(5), "taken over after \(takeover) (lease 3 s)")
            let approve = try await KodeCLI.run(["approve", id, callId, "--allow"], environment: other.clientEnvironment)
            #expect(approve.status == 0, "\(approve.stdout) \(approve.stderr)")
            let store = try await PostgresStore.open(url)
            try await eventually("the turn to finish on the other worker") {
                try await f.storedState(id, in: store).messages.last?.text.contains("after the approval") == true
            }
            let before = try await f.storedState(id, in: store).lastSeq

            stalled.process.signal(SIGCONT)
            try await stalled.process.waitForOutput("lost agent to another owner")
            #expect(try await f.storedState(id, in: store).lastSeq == before, "the stalled worker wrote nothing after it woke")
            #expect(try await f.ownerPID(id) == other.process.pid)
            #expect(f.file("effects.txt") == "ran\n")
            await store.shutdown()
            try await stalled.stop()
            try await other.stop()
        }
    }

    @Test func aGracefulStopHandsAgentsBackAndAnotherWorkerPicksThemUpUnsealed() async throws {
        try await TestPostgres.withSchema { url in
            let f = try WorkerFixture(url: url)
            let first = try await f.worker("a")
            let (id, callId) = try await f.runToApproval(on: first, script: #"{"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"echo ran >> effects.txt"}}]},{"text":"after the approval"}]}"#)
            let second = try await f.worker("b")
            #expect(try await f.ownerPID(id) == first.process.pid)

            let stopped = try await first.stop()
            #expect(stopped.status == 0, "\(stopped.stderr)")
            try await eventually("the second worker to pick the agent up") { try await f.ownerPID(id) == second.process.pid }
            let store = try await PostgresStore.open(url)
            let state = try await f.storedState(id, in: store)
            #expect(state.pendingApprovals.map(\.id) == [callId], "the approval is still pending")
            #expect(!state.toolCalls.values.contains { $0.state == .sealed }, "nothing was sealed")

            let approve = try await KodeCLI.run(["approve", id, callId, "--allow"], environment: second.clientEnvironment)
            #expect(approve.status == 0 && approve.stdout.contains("allowed \(callId)"), "\(approve.stdout) \(approve.stderr)")
            try await eventually("the turn to finish on the second worker") {
                try await f.storedState(id, in: store).messages.last?.text.contains("after the approval") == true
            }
            #expect(f.file("effects.txt") == "ran\n", "the approved command ran once")
            await store.shutdown()
            try await second.stop()
        }
    }
}

/// The command inbox: a client of any worker, or a command with only the database URL, acts on
/// an agent another worker owns; the owner applies each command once, in order.
@Suite(.serialized) struct CommandInboxTests {
    @Test func aCommandWithOnlyTheDatabaseURLIsAppliedByTheOwner() async throws {
        try await TestPostgres.withSchema { url in
            let f = try WorkerFixture(url: url)
            let owner = try await f.worker("a")
            let (id, callId) = try await f.runToApproval(on: owner, script: #"{"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"echo ran >> effects.txt"}}]},{"text":"after the approval"}]}"#)

            // No worker in this directory: the command has the URL only, and the owner is busy
            // holding the agent, so the decision goes through the inbox.
            let nowhere = try f.workerDirectory("none")
            let approve = try await KodeCLI.run(["approve", id, callId, "--allow"], environment: ["KODE_STORE": url, "KODE_WORKER_DIR": nowhere])
            #expect(approve.status == 0 && approve.stdout.contains("allowed \(callId)"), "\(approve.stdout) \(approve.stderr)")
            let store = try await PostgresStore.open(url)
            try await eventually("the owner to finish the turn") {
                try await f.storedState(id, in: store).messages.last?.text.contains("after the approval") == true
            }
            #expect(try await f.ownerPID(id) == owner.process.pid, "the owner kept the agent")
            #expect(f.file("effects.txt") == "ran\n")
            let rows = try await TestPostgres.strings("SELECT kind || ' ' || (applied IS NOT NULL) || ' ' || failed FROM \(f.schema).commands", on: url)
            #expect(rows == ["decide true false"], "one decide command, applied once: \(rows)")
            // Deciding again is refused by the owner, and the refusal reaches the command.
            let again = try await KodeCLI.run(["approve", id, callId, "--allow"], environment: ["KODE_STORE": url, "KODE_WORKER_DIR": nowhere])
            #expect(again.status != 0 && again.stderr.contains(callId), "\(again.stdout) \(again.stderr)")
            await store.shutdown()
            try await owner.stop()
        }
    }

    @Test func renameAndTriggersWithOnlyTheDatabaseURLAreAppliedByTheOwner() async throws {
        try await TestPostgres.withSchema { url in
            let f = try WorkerFixture(url: url)
            let owner = try await f.worker("a")
            // A pending approval keeps the agent open in its owner.
            let (id, _) = try await f.runToApproval(on: owner, script: #"{"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"true"}}]},{"text":"done"}]}"#)
            let urlOnly = ["KODE_STORE": url, "KODE_WORKER_DIR": try f.workerDirectory("none")]

            let rename = try await KodeCLI.run(["rename", id, "Inbox", "title"], environment: urlOnly)
            #expect(rename.status == 0, "\(rename.stdout) \(rename.stderr)")
            let add = try await KodeCLI.run(["schedule", "add", id, "--every-steps", "3", "--remind", "Check the plan.", "--name", "plan"], environment: urlOnly)
            #expect(add.status == 0, "\(add.stdout) \(add.stderr)")
            let store = try await PostgresStore.open(url)
            let state = try await f.storedState(id, in: store)
            #expect(state.title == "Inbox title")
            #expect(state.schedule.triggers.map(\.spec.name) == ["plan"])
            let remove = try await KodeCLI.run(["schedule", "remove", id, "plan"], environment: urlOnly)
            #expect(remove.status == 0, "\(remove.stdout) \(remove.stderr)")
            #expect(try await f.storedState(id, in: store).schedule.triggers.isEmpty)
            #expect(try await f.ownerPID(id) == owner.process.pid, "the owner kept the agent")
            let rows = try await TestPostgres.strings("SELECT kind || ' ' || (applied IS NOT NULL) || ' ' || failed FROM \(f.schema).commands ORDER BY id", on: url)
            #expect(rows == ["rename true false", "schedule true false", "unschedule true false"], "\(rows)")
            await store.shutdown()
            try await owner.stop()
        }
    }

    @Test func aClientOfAnotherWorkerSendsAndSeesTheEventsFromTheRecords() async throws {
        try await TestPostgres.withSchema { url in
            let f = try WorkerFixture(url: url)
            let script = try f.script(#"{"turns":[{"text":"first answer"},{"text":"second answer"}]}"#)
            let owner = try await f.worker("a")
            let other = try await f.worker("b")
            let run = try await KodeCLI.run(["run", "--workdir", f.workDir, "--provider", "scripted", "--script", script, "--prompt", "one", "--permission", "auto"], environment: owner.clientEnvironment)
            #expect(run.status == 0, "\(run.stderr)")
            let id = try #require(run.agentId)

            let hub = other.client()
            try await hub.connect()
            let agent = try await hub.open(id, options: OpenOptions())
            let events = try await agent.subscribe()
            let inputId = try await agent.send("two")
            #expect(inputId.hasPrefix("in_"), "the owner's input id comes back once the owner applied the send: \(inputId)")
            var done: DoneEvent?
            for await envelope in events {
                if case .done(let e) = envelope.event, e.inputIds.contains(inputId) {
                    done = e
                    break
                }
            }
            events.cancel()
            #expect(done?.reason == .completed)
            let state = try await agent.state()
            #expect(state.messages.last?.text.contains("second answer") == true)
            #expect(try await f.ownerPID(id) == owner.process.pid, "the owner ran the turn")
            await agent.release(.leave)
            await hub.disconnect()
            try await other.stop()
            try await owner.stop()
        }
    }

    @Test func anAgentAWorkerOwnsCanBeRemovedThroughIt() async throws {
        try await TestPostgres.withSchema { url in
            let f = try WorkerFixture(url: url)
            let script = try f.script(#"{"turns":[{"text":"done"}]}"#)
            let owner = try await f.worker("a")
            let run = try await KodeCLI.run(["run", "--workdir", f.workDir, "--provider", "scripted", "--script", script, "--prompt", "one", "--permission", "auto"], environment: owner.clientEnvironment)
            let id = try #require(run.agentId)
            #expect(try await f.ownerPID(id) == owner.process.pid)
            // The worker's own hold on the agent does not count as someone using it.
            let removed = try await KodeCLI.run(["rm", id], environment: owner.clientEnvironment)
            #expect(removed.status == 0, "\(removed.stdout) \(removed.stderr)")
            let agents = try await KodeCLI.run(["agents"], environment: owner.clientEnvironment)
            #expect(!agents.stdout.contains(id), "\(agents.stdout)")
            try await owner.stop()
        }
    }

    @Test func aCommandWhoseNotificationWasMissedIsAppliedByPolling() async throws {
        try await TestPostgres.withSchema { url in
            let f = try WorkerFixture(url: url)
            let script = try f.script(#"{"turns":[{"text":"first answer"},{"text":"found by polling"}]}"#)
            let owner = try await f.worker("a")
            let run = try await KodeCLI.run(["run", "--workdir", f.workDir, "--provider", "scripted", "--script", script, "--prompt", "one", "--permission", "auto"], environment: owner.clientEnvironment)
            #expect(run.status == 0, "\(run.stderr)")
            let id = try #require(run.agentId)
            // The listener's connection drops, and the command comes without a notification.
            try await TestPostgres.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'kode-listen'", on: url)
            let store = try await PostgresStore.open(url)
            let command = try await store.submit(.send(text: "two"), to: id, wake: false)
            let outcome = try await store.waitForOutcome(of: command, patience: .seconds(120))
            #expect(outcome.applied && !outcome.failed, "\(outcome)")
            #expect(outcome.text?.hasPrefix("in_") == true)
            try await eventually("the turn the command started to finish") {
                try await f.storedState(id, in: store).messages.last?.text.contains("found by polling") == true
            }
            await store.shutdown()
            try await owner.stop()
        }
    }
}
