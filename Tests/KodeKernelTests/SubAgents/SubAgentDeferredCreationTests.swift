import Foundation
import KodeKernel
import KodeTestSupport
import Testing

/// A child's files are created without syncs of their own and become durable with its first
/// effect (docs/MULTI-AGENT.md, "Crash safety"). These tests stop the "process" on each side of
/// that point and look at what the disk kept before anything resumes: the window it opens (the
/// parent's link durable, the child not) ends with the child re-created under the recorded id;
/// the child's answer is durable before the parent's result can be.
@Suite("Sub-agents: the child's deferred creation", .serialized)
struct SubAgentDeferredCreationTests {
    typealias Crash = SubAgentCrashTests.Crash

    /// Runs the crash scenario's parent (auto permission: the child's first effect is its
    /// command's start) until `crash` stops it; returns the parent's id.
    func runUntilCrash(_ f: SubAgentFixture, _ crash: Crash) async throws -> AgentID {
        let disk = CrashSimulatingFileIO()
        let trigger = SubAgentCrashTests.Trigger(crash, disk: disk)
        let parent = try await f.makeParent(
            store: try f.store(io: disk), settings: f.settings(childHooks: trigger.hooks(for: .child)),
            hooks: trigger.hooks(for: .parent))
        try await parent.send("go")
        await parent.waitUntilIdle()
        await parent.close()
        #expect(trigger.fired.withLock { $0 }, "the crash point \(crash.testDescription) was never reached")
        return parent.id
    }

    /// The child `subagent_started` names in the parent's stored log.
    func linkedChild(of parent: AgentID, in store: any AgentStore) async throws -> AgentID {
        let children = try await store.records(of: parent, after: 0).compactMap { record -> AgentID? in
            if case .event(.subagentStarted(let e)) = record.body { e.child } else { nil }
        }
        #expect(children.count == 1, "\(children)")
        return try #require(children.first)
    }

    /// Resumes the parent on the files the crash left, continues its turn and checks the end state.
    func resumeAndFinish(_ f: SubAgentFixture, parent id: AgentID, expectedChild: AgentID) async throws {
        let store = try f.store()
        let parent = try await f.resumeParent(id, store: store, settings: f.settings())
        try await parent.continueTurn()
        await parent.waitUntilIdle()
        await parent.close()
        try await SubAgentCrashTests().checkInvariants(parentId: id, store: store, context: "after the resume")
        #expect(try await SubAgentFixture.children(of: id, in: store).map(\.id) == [expectedChild], "not the recorded child")
    }

    @Test("killed before the child's first effect: the parent's link is durable, nothing of the child is; resuming re-creates it under the recorded id")
    func crashBeforeTheFirstEffect() async throws {
        let f = try SubAgentFixture(parentScript: SubAgentCrashTests.parentScript, childScript: SubAgentCrashTests.childScript)
        // Entering TOOL_EXECUTING comes before the command's start is committed.
        let id = try await runUntilCrash(f, Crash(role: .child, breakpoint: .toolExecuting, occurrence: 1))

        let store = try f.store()
        let child = try await linkedChild(of: id, in: store)
        await #expect(throws: StoreError.notFound(child), "the child's manifest was durable before its first effect") {
            try await store.manifest(of: child)
        }
        #expect(try await SubAgentFixture.children(of: id, in: store).isEmpty)
        #expect(try store.check(repair: false).isHealthy)

        try await resumeAndFinish(f, parent: id, expectedChild: child)
    }

    @Test("the child's first effect makes its creation and everything it recorded before durable")
    func crashAfterTheFirstEffect() async throws {
        let f = try SubAgentFixture(parentScript: SubAgentCrashTests.parentScript, childScript: SubAgentCrashTests.childScript)
        // POST_TOOL: the command's start was durable, so it ran.
        let id = try await runUntilCrash(f, Crash(role: .child, breakpoint: .postTool, occurrence: 1))

        let store = try f.store()
        let child = try await linkedChild(of: id, in: store)
        #expect(try await store.manifest(of: child).spawnedBy?.agentId == id)
        let state = try AgentState.rebuild(from: try await store.history(of: child))
        #expect(state.messages.first?.text == "append to effects", "the child's task was not durable with its first effect")
        #expect(state.toolCalls.values.map(\.state) == [.executing], "\(state.toolCalls.values.map(\.state))")

        try await resumeAndFinish(f, parent: id, expectedChild: child)
    }

    @Test("the child's answer is durable before the parent's task_run result can be")
    func answerBeforeResult() async throws {
        let f = try SubAgentFixture(parentScript: SubAgentCrashTests.parentScript, childScript: SubAgentCrashTests.childScript)
        // The parent's POST_TOOL comes before its task_run result is committed.
        let id = try await runUntilCrash(f, Crash(role: .parent, breakpoint: .postTool, occurrence: 1))

        let store = try f.store()
        let child = try await linkedChild(of: id, in: store)
        let state = try AgentState.rebuild(from: try await store.history(of: child))
        #expect(state.messages.last?.text == "child answer" && !state.turnOpen, "the child's answer was not durable")
        let parent = try AgentState.rebuild(from: try await store.history(of: id))
        #expect(parent.toolCalls.values.first { $0.name == "task_run" }?.state == .executing)

        try await resumeAndFinish(f, parent: id, expectedChild: child)
    }
}
