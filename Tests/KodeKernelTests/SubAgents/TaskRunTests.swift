import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Sub-agents: task_run")
struct TaskRunTests {
    static let delegate = #"{"turns":[{"tool_calls":[{"name":"task_run","input":{"task":"count the files"}}]},{"text":"parent done"}]}"#
    static func delegating(_ input: String) -> String {
        #"{"turns":[{"tool_calls":[{"name":"task_run","input":"# + input + #"}]},{"text":"parent done"}]}"#
    }

    /// The parent's first `task_run` call record.
    func taskCall(_ agent: Agent) async throws -> ToolCallRecord {
        let state = await agent.snapshot()
        return try #require(state.toolCallOrder.compactMap { state.toolCalls[$0] }.first { $0.name == "task_run" })
    }

    /// What the parent's conversation says the call returned.
    func result(of callId: String, in agent: Agent) async -> (text: String, isError: Bool)? {
        for message in await agent.snapshot().messages {
            for case .toolResult(let id, let content, let isError) in message.content where id == callId { return (content, isError) }
        }
        return nil
    }

    @Test("the child's final answer is the tool result, and the child is an agent of its own linked to its parent")
    func success() async throws {
        let f = try SubAgentFixture(parentScript: Self.delegate, childScript: #"{"turns":[{"text":"there are 3 files"}]}"#)
        let store = try f.store()
        let parent = try await f.makeParent(store: store, settings: f.settings())
        let events = EventRecorder(parent, kinds: [.subagentStarted, .subagentFinished])
        let done = try await parent.chat("go")
        #expect(done.reason == .completed)
        let call = try await taskCall(parent)
        #expect(call.state == .completed)
        let answer = try #require(await result(of: call.id, in: parent))
        #expect(answer.text == "there are 3 files" && !answer.isError)

        let children = try await SubAgentFixture.children(of: parent.id, in: store)
        let child = try #require(children.first)
        #expect(children.count == 1)
        #expect(child.spawnedBy == SpawnRef(agentId: parent.id, callId: call.id, depth: 1))
        #expect(child.parent == nil, "a sub-agent is not a fork")
        let childState = try AgentState.rebuild(from: try await store.history(of: child.id))
        #expect(childState.messages.first?.text == "count the files")
        #expect(childState.messages.last?.text == "there are 3 files")

        let started = try #require(try await events.wait(for: .subagentStarted).event.subagentStartedEvent)
        #expect(started.child == child.id && started.parent == parent.id && started.callId == call.id && !started.reattached)
        let finished = try #require(try await events.wait(for: .subagentFinished).event.subagentFinishedEvent)
        #expect(finished.outcome == .completed && finished.child == child.id)
        // The child was closed: its writer lock is free for anyone else.
        let writer = try await store.openWriter(child.id)
        try await writer.close()
        await parent.close()
    }

    @Test("a child whose model fails gives the parent a clear tool error, and the parent goes on")
    func failure() async throws {
        let f = try SubAgentFixture(parentScript: Self.delegate, childScript: #"{"turns":[{"error":"the model is on fire"}]}"#)
        let parent = try await f.makeParent(store: try f.store(), settings: f.settings())
        let done = try await parent.chat("go")
        #expect(done.reason == .completed)
        let call = try await taskCall(parent)
        #expect(call.state == .failed)
        let answer = try #require(await result(of: call.id, in: parent))
        #expect(answer.isError)
        #expect(answer.text.contains("failed") && answer.text.contains("the model is on fire"), "\(answer.text)")
        #expect(await parent.snapshot().messages.last?.text == "parent done")
        await parent.close()
    }

    @Test("interrupting the parent interrupts the child: the call is sealed with an error, nothing hangs")
    func interrupt() async throws {
        let f = try SubAgentFixture(
            parentScript: Self.delegate,
            childScript: #"{"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"sleep 30"}}]},{"text":"never"}]}"#)
        let store = try f.store()
        let parent = try await f.makeParent(store: store, settings: f.settings())
        let events = EventRecorder(parent)
        try await parent.send("go")
        try await events.wait(for: .subagentStarted)
        // Wait for the child's command to run (its own event is in the child's log).
        let child = try #require(try await events.wait(for: .subagentStarted).event.subagentStartedEvent).child
        try await waitForChildToolStart(child, store: store)
        await parent.interrupt()
        let done = try #require(try await events.wait(for: .done).event.doneEvent)
        #expect(done.reason == .interrupted)
        let call = try await taskCall(parent)
        #expect(call.state == .sealed && call.isError)
        let childState = try AgentState.rebuild(from: try await store.history(of: child))
        #expect(childState.toolCalls.values.allSatisfy { $0.state == .sealed }, "the child's running command was not sealed")
        #expect(!childState.turnOpen, "the child's turn did not end")
        await parent.close()
    }

    @Test("detaching the parent detaches the child: reopened, the parent re-attaches and the child goes on")
    func detachHandsOver() async throws {
        let f = try SubAgentFixture(
            parentScript: Self.delegate,
            childScript: #"{"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"sleep 30"}}]},{"text":"child answer"}]}"#)
        let store = try f.store()
        let parent = try await f.makeParent(store: store, settings: f.settings())
        let events = EventRecorder(parent)
        try await parent.send("go")
        let child = try #require(try await events.wait(for: .subagentStarted).event.subagentStartedEvent).child
        try await waitForChildToolStart(child, store: store)
        await parent.detach()
        await parent.waitUntilIdle()

        let reopened = try await f.resumeParent(parent.id, store: try f.store(), settings: f.settings())
        try await reopened.continueTurn()
        await reopened.waitUntilIdle()
        let call = try await taskCall(reopened)
        #expect(await result(of: call.id, in: reopened)?.text == "child answer")
        let childState = try AgentState.rebuild(from: try await store.history(of: child))
        // The detach killed the command (the child shares the parent's sandbox): it either
        // reported that first (failed) or was running when the child was detached (sealed on
        // reopening). Never re-run, never completed.
        let bash = try #require(childState.toolCalls.values.first { $0.name == "bash_run" })
        #expect((bash.state == .sealed || bash.state == .failed) && bash.isError, "\(bash.state)")
        #expect(try await SubAgentFixture.children(of: parent.id, in: store).count == 1)
        await reopened.close()
    }

    /// Reads the child's log until its `tool:start` is there (it is durable before the tool runs).
    /// `subagent_started` comes before the child exists, so at first there may be no such agent.
    func waitForChildToolStart(_ child: AgentID, store: any AgentStore) async throws {
        try await eventually("the child to start its tool") {
            let records = (try? await store.records(of: child, after: 0)) ?? []
            return records.contains(where: { if case .event(.toolStart) = $0.body { return true } else { return false } })
        }
    }

    @Test("a child's approval request joins the parent's queue naming the child, and a decision on the parent reaches it")
    func approvalFromChild() async throws {
        let f = try SubAgentFixture(
            parentScript: Self.delegate,
            childScript: #"{"turns":[{"tool_calls":[{"name":"fs_write","input":{"path":"out.txt","content":"hi"}}]},{"text":"wrote it"}]}"#)
        let parent = try await f.makeParent(store: try f.store(), settings: f.settings(), permission: .approval)
        let control = EventRecorder(parent, kinds: [.permissionRequired, .permissionDecided])
        try await parent.send("go")
        let own = try #require(try await control.wait(for: .permissionRequired).event.permissionRequiredEvent)
        #expect(own.agentId == nil && own.call.name == "task_run")
        try await parent.decide(own.callId, .allow)
        let relayed = try #require(try await control.wait { $0.event.permissionRequiredEvent?.agentId != nil }.event.permissionRequiredEvent)
        let child = try #require(relayed.agentId)
        #expect(relayed.call.name == "fs_write")
        #expect(relayed.callId == "\(child)/\(relayed.call.id)")
        try await parent.decide(relayed.callId, .allow, note: "fine", by: "tester")
        let decided = try await control.wait { $0.event.type == .permissionDecided && $0.event.permissionDecidedEvent?.callId == relayed.callId }
        #expect(decided.event.permissionDecidedEvent?.decidedBy == "tester")
        await parent.waitUntilIdle()
        let call = try await taskCall(parent)
        #expect(await result(of: call.id, in: parent)?.text == "wrote it")
        #expect(try String(contentsOf: f.workDir.appendingPathComponent("out.txt"), encoding: .utf8) == "hi")
        await #expect(throws: AgentError.self) { try await parent.decide(relayed.callId, .allow) }
        await parent.close()
    }

    @Test("the depth limit: a child at the limit has no task_run, and asking for it is a tool error")
    func depthLimit() async throws {
        let f = try SubAgentFixture(
            parentScript: Self.delegating(#"{"task":"go deeper","model":"mid"}"#),
            childScript: #"{"turns":[{"text":"leaf answer"}]}"#,
            childScripts: ["mid": Self.delegating(#"{"task":"leaf work","model":"leaf"}"#).replacingOccurrences(of: "parent done", with: "mid done")])
        let store = try f.store()
        // Depth 2: parent → mid → leaf; the leaf is at the limit.
        let parent = try await f.makeParent(store: store, settings: f.settings(maxDepth: 2))
        _ = try await parent.chat("go")
        let call = try await taskCall(parent)
        #expect(await result(of: call.id, in: parent)?.text == "mid done")
        let mid = try #require(try await SubAgentFixture.children(of: parent.id, in: store).first)
        #expect(mid.config.tools?.contains("task_run") == true)
        let leaf = try #require(try await SubAgentFixture.children(of: mid.id, in: store).first)
        #expect(leaf.spawnedBy?.depth == 2)
        #expect(leaf.config.tools?.contains("task_run") == false, "a child at the depth limit was offered task_run")
        #expect(try await SubAgentFixture.finalAnswer(of: leaf.id, in: store) == "leaf answer")
        await parent.close()

        // Depth 1: naming task_run for the child is refused before anything is made.
        let g = try SubAgentFixture(parentScript: Self.delegating(#"{"task":"x","tools":["fs_read","task_run"]}"#), childScript: #"{"turns":[{"text":"no"}]}"#)
        let store2 = try g.store()
        let limited = try await g.makeParent(store: store2, settings: g.settings(maxDepth: 1))
        _ = try await limited.chat("go")
        let refused = try await taskCall(limited)
        let text = try #require(await result(of: refused.id, in: limited))
        #expect(text.isError && text.text.contains("depth limit"), "\(text.text)")
        #expect(try await SubAgentFixture.children(of: limited.id, in: store2).isEmpty)
        await limited.close()
    }

    @Test("a sub-agent at the depth limit that calls task_run anyway gets a tool error")
    func overTheLimit() async throws {
        // maxDepth 0: not even the top-level agent may spawn.
        let f = try SubAgentFixture(parentScript: Self.delegate, childScript: #"{"turns":[{"text":"no"}]}"#)
        let parent = try await f.makeParent(store: try f.store(), settings: f.settings(maxDepth: 0))
        _ = try await parent.chat("go")
        let call = try await taskCall(parent)
        let text = try #require(await result(of: call.id, in: parent))
        #expect(text.isError && text.text.contains("depth limit is 0"), "\(text.text)")
        await parent.close()
    }

    @Test("tools are a subset of the parent's: the child gets what the call names, never more")
    func toolSubset() async throws {
        let f = try SubAgentFixture(
            parentScript: Self.delegating(#"{"task":"read","tools":["fs_read"]}"#),
            childScript: #"{"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"touch nope"}}]},{"text":"could not"}]}"#)
        let store = try f.store()
        let parent = try await f.makeParent(store: store, settings: f.settings())
        _ = try await parent.chat("go")
        let child = try #require(try await SubAgentFixture.children(of: parent.id, in: store).first)
        #expect(child.config.tools == ["fs_read"])
        let state = try AgentState.rebuild(from: try await store.history(of: child.id))
        let bash = try #require(state.toolCalls.values.first { $0.name == "bash_run" })
        #expect(bash.state == .failed && (bash.outputPreview ?? "").contains("Unknown tool"))
        #expect(!FileManager.default.fileExists(atPath: f.workDir.appendingPathComponent("nope").path))
        await parent.close()

        // A parent limited to fs_read and task_run cannot hand bash_run to a child.
        let g = try SubAgentFixture(parentScript: Self.delegating(#"{"task":"x","tools":["bash_run"]}"#), childScript: #"{"turns":[{"text":"no"}]}"#)
        let store2 = try g.store()
        let limited = try await g.makeParent(store: store2, settings: g.settings(), tools: ["fs_read", "task_run"])
        _ = try await limited.chat("go")
        let refused = try await taskCall(limited)
        let text = try #require(await result(of: refused.id, in: limited))
        #expect(text.isError && text.text.contains("not available: bash_run"), "\(text.text)")
        #expect(try await SubAgentFixture.children(of: limited.id, in: store2).isEmpty)
        await limited.close()
    }

    @Test("a template and a model override shape the child; an unknown template is a tool error")
    func templateAndModel() async throws {
        let f = try SubAgentFixture(
            parentScript: Self.delegating(#"{"task":"review","template":"reviewer"}"#),
            childScript: #"{"turns":[{"text":"generic"}]}"#,
            childScripts: ["reviewer": #"{"turns":[{"text":"looks good"}]}"#])
        let store = try f.store()
        let parent = try await f.makeParent(store: store, settings: f.settings())
        _ = try await parent.chat("go")
        let child = try #require(try await SubAgentFixture.children(of: parent.id, in: store).first)
        #expect(child.config.template == "reviewer" && child.config.provider.model == "reviewer")
        #expect(child.config.tools == ["fs_read", "fs_glob"] && child.config.systemPrompt == "You review.")
        #expect(try await SubAgentFixture.finalAnswer(of: child.id, in: store) == "looks good")
        await parent.close()

        let g = try SubAgentFixture(parentScript: Self.delegating(#"{"task":"x","template":"nope","model":"other"}"#), childScript: #"{"turns":[{"text":"no"}]}"#)
        let limited = try await g.makeParent(store: try g.store(), settings: g.settings())
        _ = try await limited.chat("go")
        let text = try #require(await result(of: try await taskCall(limited).id, in: limited))
        #expect(text.isError && text.text.contains("template 'nope'") && text.text.contains("configured: reviewer"), "\(text.text)")
        await limited.close()

        let h = try SubAgentFixture(parentScript: Self.delegating(#"{"task":"x","model":"fast"}"#), childScript: #"{"turns":[{"text":"fast answer"}]}"#)
        let store3 = try h.store()
        let overridden = try await h.makeParent(store: store3, settings: h.settings())
        _ = try await overridden.chat("go")
        let fast = try #require(try await SubAgentFixture.children(of: overridden.id, in: store3).first)
        #expect(fast.config.provider.model == "fast" && fast.config.template == nil)
        await overridden.close()
    }
}
