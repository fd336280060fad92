import Foundation
import KodeKernel
import KodeTestSupport
import Synchronization
import Testing

/// A process killed while a sub-agent runs — at every breakpoint of the parent and of the child —
/// resumes both: the child's own recovery and turn first, then the parent's `task_run` result;
/// the same child, never a second one; no call without exactly one result in either log; no side
/// effect run twice.
///
/// The "kill" is ``CrashSimulatingFileIO``: when the chosen agent enters the chosen breakpoint
/// (before the change is durable), the disk forgets every unsynced byte and refuses all further
/// writes, as a dead process would leave it. The store is then reopened on the real files.
@Suite("Sub-agents: crash at every breakpoint", .serialized)
struct SubAgentCrashTests {
    /// The parent delegates; the child runs a command (with a side effect) and answers.
    static let parentScript = #"{"turns":[{"tool_calls":[{"name":"task_run","input":{"task":"append to effects"}}]},{"text":"parent finished"}]}"#
    static let childScript = #"{"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"echo c >> effects.txt"}}]},{"text":"child answer"}]}"#

    enum Role: String, CaseIterable, Sendable { case parent, child }

    struct Crash: Sendable, CustomTestStringConvertible {
        var role: Role
        var breakpoint: Breakpoint
        var occurrence: Int
        var testDescription: String { "\(role.rawValue) entering \(breakpoint.rawValue) #\(occurrence)" }
    }

    static let crashes: [Crash] = Role.allCases.flatMap { role in
        Breakpoint.allCases.filter { $0 != .compacting }.flatMap { breakpoint in
            (breakpoint == .ready ? [1] : [1, 2]).map { Crash(role: role, breakpoint: breakpoint, occurrence: $0) }
        }
    }

    /// Crashes `disk` the `occurrence`-th time an agent of `role` enters `breakpoint`.
    final class Trigger: Sendable {
        let crash: Crash
        let disk: CrashSimulatingFileIO
        let seen = Mutex(0)
        let fired = Mutex(false)
        init(_ crash: Crash, disk: CrashSimulatingFileIO) {
            self.crash = crash
            self.disk = disk
        }

        func hooks(for role: Role) -> Hooks {
            guard role == crash.role else { return Hooks() }
            return Hooks(breakpoint: { entered in
                guard entered == self.crash.breakpoint else { return }
                let count = self.seen.withLock { $0 += 1; return $0 }
                guard count == self.crash.occurrence, !self.fired.withLock({ $0 }) else { return }
                self.fired.withLock { $0 = true }
                self.disk.crash()
                self.disk.writeBudget = 0
                self.disk.failSyncs = true
            })
        }
    }

    @Test("killed as the parent or the child enters each breakpoint, both resume and every invariant holds", arguments: crashes)
    func crashAndResume(_ crash: Crash) async throws {
        let f = try SubAgentFixture(parentScript: Self.parentScript, childScript: Self.childScript)
        let disk = CrashSimulatingFileIO()
        let trigger = Trigger(crash, disk: disk)
        let parentId: AgentID
        do {
            let store = try f.store(io: disk)
            let parent = try await f.makeParent(
                store: store, settings: f.settings(childHooks: trigger.hooks(for: .child)),
                permission: .approval, hooks: trigger.hooks(for: .parent))
            parentId = parent.id
            let approver = AutoApprover(parent)
            do {
                try await parent.send("go")
                await parent.waitUntilIdle()
            } catch {
                // The crash came before the prompt was durable.
            }
            approver.stop()
            await parent.close()
        }
        let fired = trigger.fired.withLock { $0 }
        if crash.occurrence == 1 {
            #expect(fired, "the scenario never had the \(crash.role.rawValue) enter \(crash.breakpoint.rawValue)")
        }

        // A new "process" on the files the crash left.
        let store = try f.store()
        let parent = try await f.resumeParent(parentId, store: store, settings: f.settings())
        let approver = AutoApprover(parent)
        let reopened = await parent.snapshot()
        if reopened.messages.isEmpty && reopened.queuedInputs.isEmpty {
            try await parent.send("go")
        } else {
            try await parent.continueTurn()
        }
        await parent.waitUntilIdle()
        approver.stop()
        await parent.close()

        try await checkInvariants(parentId: parentId, store: store, context: crash.testDescription)
        if crash.role == .child && fired {
            // The parent's call was executing when the child was killed: it must have re-attached.
            let reattached = try await store.records(of: parentId, after: 0).contains { record in
                if case .event(.subagentStarted(let e)) = record.body { e.reattached } else { false }
            }
            #expect(reattached, "the parent did not re-attach to its child (\(crash.testDescription))")
        }
    }

    /// Opened by code without `task_run` while its call runs (the CLI answering an approval, a
    /// library caller with the built-ins), the parent leaves the call for an opener with the
    /// tool; if such an opener goes on with the turn instead, the call is sealed and answered, so
    /// no call is left without a result. An opener with the tool then finds nothing to re-attach.
    @Test("a parent opened without task_run leaves its call running, and seals it only if it goes on without the tool")
    func openedWithoutTheTool() async throws {
        let f = try SubAgentFixture(parentScript: Self.parentScript, childScript: Self.childScript)
        let disk = CrashSimulatingFileIO()
        let trigger = Trigger(Crash(role: .child, breakpoint: .preTool, occurrence: 1), disk: disk)
        let parentId: AgentID
        do {
            let parent = try await f.makeParent(
                store: try f.store(io: disk), settings: f.settings(childHooks: trigger.hooks(for: .child)), permission: .auto)
            parentId = parent.id
            try await parent.send("go")
            await parent.waitUntilIdle()
            await parent.close()
        }
        #expect(trigger.fired.withLock { $0 })
        let builtins = ToolRegistry.builtins().names
        let withoutTool = { (store: FileStore) in
            try f.dependencies(store: store, settings: f.settings(), tools: builtins)
        }

        // Opened and closed without the tool: the call is still running, nothing sealed.
        let looked = try await Agent.resume(id: parentId, dependencies: try withoutTool(try f.store()))
        await looked.close()
        let afterLook = try AgentState.rebuild(from: try await f.store().history(of: parentId))
        #expect(afterLook.toolCalls.values.filter { $0.name == "task_run" }.map(\.state) == [.executing])

        // Going on without the tool: sealed and answered, and the turn ends.
        let goesOn = try await Agent.resume(id: parentId, dependencies: try withoutTool(try f.store()))
        try await goesOn.continueTurn()
        await goesOn.waitUntilIdle()
        await goesOn.close()
        let state = try AgentState.rebuild(from: try await f.store().history(of: parentId))
        #expect(state.toolCalls.values.filter { $0.name == "task_run" }.map(\.state) == [.sealed])
        expectEveryCallAnsweredOnce(state, "parent", "continued without task_run")
        #expect(!state.turnOpen)
    }

    func checkInvariants(parentId: AgentID, store: any AgentStore, context: String) async throws {
        let parent = try AgentState.rebuild(from: try await store.history(of: parentId))
        #expect(parent.messages.last?.text == "parent finished", "the parent did not finish (\(context)): \(parent.messages.last?.text ?? "-")")
        expectEveryCallAnsweredOnce(parent, "parent", context)

        let children = try await SubAgentFixture.children(of: parentId, in: store)
        #expect(children.count == 1, "\(children.count) children (\(context))")
        let child = try #require(children.first)
        let taskCalls = parent.toolCalls.values.filter { $0.name == "task_run" }
        #expect(taskCalls.count == 1, "\(context)")
        let call = try #require(taskCalls.first)
        #expect(child.spawnedBy?.callId == call.id, "\(context)")
        #expect(call.state == .completed, "the task_run call is \(call.state) (\(context))")
        let result = parent.messages.flatMap(\.content).compactMap { block -> String? in
            if case .toolResult(let id, let content, _) = block, id == call.id { content } else { nil }
        }
        #expect(result == ["child answer"], "task_run result \(result) (\(context))")

        // Every subagent_started of the parent names this one child.
        let records = try await store.records(of: parentId, after: 0)
        let named = Set(records.compactMap { record -> AgentID? in
            if case .event(.subagentStarted(let e)) = record.body { e.child } else { nil }
        })
        #expect(named == [child.id], "subagent_started named \(named) (\(context))")

        let childState = try AgentState.rebuild(from: try await store.history(of: child.id))
        #expect(childState.messages.last?.text == "child answer", "the child did not finish (\(context))")
        #expect(!childState.turnOpen, "the child's turn is still open (\(context))")
        expectEveryCallAnsweredOnce(childState, "child", context)
        let effects = (try? String(contentsOfFile: try workDir(of: child).appending("/effects.txt"), encoding: .utf8)) ?? ""
        #expect(effects.split(separator: "\n").count <= 1, "the child's command ran \(effects.split(separator: "\n").count) times (\(context))")
    }

    func workDir(of manifest: AgentManifest) throws -> String { manifest.config.workDir }

    func expectEveryCallAnsweredOnce(_ state: AgentState, _ who: String, _ context: String) {
        var results: [String: Int] = [:]
        for message in state.messages {
            for case .toolResult(let id, _, _) in message.content { results[id, default: 0] += 1 }
        }
        for message in state.messages where message.role == .assistant {
            for use in message.toolUses {
                #expect(results[use.id] == 1, "\(who) call \(use.id) has \(results[use.id] ?? 0) results (\(context))")
            }
        }
    }
}
