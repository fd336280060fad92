import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Agent loop")
struct AgentLoopTests {
    @Test("a text-only turn streams, commits and ends with done")
    func textOnlyTurn() async throws {
        let h = try await AgentHarness.make(script: #"{"turns":[{"text":"Hello there, friend."}],"chunk_size":4}"#)
        let recorder = EventRecorder(h.agent)
        let done = try await h.agent.chat("hi")
        #expect(done.reason == .completed)
        let state = await h.agent.snapshot()
        #expect(state.messages.map(\.role) == [.user, .assistant])
        #expect(state.messages.last?.text == "Hello there, friend.")
        try await recorder.wait(for: .done)
        let chunks = recorder.all.compactMap { if case .textChunk(let e) = $0.event { return e.delta } else { return nil } }
        #expect(chunks.joined() == "Hello there, friend.")
        #expect(chunks.count == 5)
        let seqs = recorder.all.map(\.seq)
        #expect(seqs == seqs.sorted() && Set(seqs).count == seqs.count)
        #expect(recorder.all.contains { $0.seq == done.bookmark.seq && $0.event.type == .done })
        await h.tearDown()
    }

    @Test("every breakpoint is visited in order by a turn with an approved tool")
    func breakpointTransitions() async throws {
        let h = try await AgentHarness.make(
            script: #"{"turns":[{"text":"writing","tool_calls":[{"name":"fs_write","input":{"path":"a.txt","content":"hi"}}]},{"text":"done"}]}"#,
            permission: .approval)
        let recorder = EventRecorder(h.agent)
        _ = try await h.agent.send("write a file")
        let request = try await recorder.wait(for: .permissionRequired)
        let asked = try #require(request.event.permissionRequiredEvent)
        #expect(await h.agent.status().runtimeState == .paused)
        try await h.agent.decide(asked.callId, .allow)
        try await recorder.wait(for: .done)
        let path: [Breakpoint] = recorder.all.compactMap { if case .breakpointChanged(let e) = $0.event { return e.to } else { return nil } }
        #expect(path == [.preModel, .streamingModel, .toolPending, .awaitingApproval, .preTool, .toolExecuting, .postTool, .preModel, .streamingModel, .ready])
        let states: [RuntimeState] = recorder.all.compactMap { if case .stateChanged(let e) = $0.event { return e.to } else { return nil } }
        #expect(states == [.working, .paused, .working, .ready])
        #expect(try String(contentsOf: h.workDir.appendingPathComponent("a.txt"), encoding: .utf8) == "hi")
        await h.tearDown()
    }

    @Test("the conversation stays well-formed: one tool_result per tool_use")
    func toolResultsPaired() async throws {
        let h = try await AgentHarness.make(script: #"""
            {"turns":[
              {"tool_calls":[{"name":"fs_write","input":{"path":"x.txt","content":"1"}},{"name":"fs_read","input":{"path":"x.txt"}},{"name":"nope","input":{}}]},
              {"text":"ok"}]}
            """#)
        let recorder = EventRecorder(h.agent)
        _ = try await h.agent.chat("go")
        try await recorder.wait(for: .done)
        let state = await h.agent.snapshot()
        let uses = state.messages.flatMap(\.toolUses).map(\.id)
        let results = state.messages.flatMap(\.content).compactMap { block -> String? in
            if case .toolResult(let id, _, _) = block { return id } else { return nil }
        }
        #expect(uses.count == 3)
        #expect(uses == results)
        let ends = recorder.all.compactMap { if case .toolEnd(let e) = $0.event { return e.callId } else { return nil } }
        #expect(ends.sorted() == uses.sorted())
        let unknown = try #require(state.toolCalls["toolu_0_2"])
        #expect(unknown.state == .failed)
        #expect(unknown.outputPreview?.contains("Unknown tool 'nope'") == true)
        await h.tearDown()
    }

    @Test("invalid tool input fails with a message that names the field")
    func invalidInput() async throws {
        let h = try await AgentHarness.make(script: #"{"turns":[{"tool_calls":[{"name":"fs_read","input":{"file":"x"}}]},{"text":"ok"}]}"#)
        let recorder = EventRecorder(h.agent)
        _ = try await h.agent.chat("go")
        let error = try await recorder.wait(for: .toolError)
        let e = try #require(error.event.toolErrorEvent)
        #expect(e.message.contains("Invalid input for fs_read"))
        #expect(await h.agent.snapshot().toolCalls["toolu_0_0"]?.state == .failed)
        await h.tearDown()
    }

    @Test("the step limit ends the turn with a Monitor error")
    func stepLimit() async throws {
        let loop = #"{"tool_calls":[{"name":"fs_glob","input":{"pattern":"*"}}]}"#
        let h = try await AgentHarness.make(script: "{\"turns\":[\(loop),\(loop),\(loop),\(loop)]}", maxSteps: 2)
        let recorder = EventRecorder(h.agent)
        let done = try await h.agent.chat("loop")
        #expect(done.reason == .stepLimit)
        let error = try await recorder.wait(for: .error)
        let e = try #require(error.event.errorEvent)
        #expect(e.message.contains("step limit"))
        // The conversation ends with the last batch's results: well-formed for any provider.
        #expect(await h.agent.snapshot().messages.last?.role == .user)
        await h.tearDown()
    }

    @Test("a model error ends the turn without committing a half message")
    func modelError() async throws {
        let h = try await AgentHarness.make(script: #"{"turns":[{"text":"partial reply that is cut","cut_after_chars":7}]}"#)
        let recorder = EventRecorder(h.agent)
        let done = try await h.agent.chat("hi")
        #expect(done.reason == .failed)
        let error = try await recorder.wait(for: .error)
        let e = try #require(error.event.errorEvent)
        #expect(e.phase == .model)
        #expect(await h.agent.snapshot().messages.map(\.role) == [.user])
        await h.tearDown()
    }

    @Test("input sent while a turn runs is queued and answered in the same turn")
    func queuedInput() async throws {
        let h = try await AgentHarness.make(script: #"{"turns":[{"text":"first answer, streamed slowly"},{"text":"second"}],"chunk_size":2,"chunk_delay_ms":5}"#)
        let recorder = EventRecorder(h.agent)
        let first = try await h.agent.send("one")
        try await recorder.wait(for: .textChunk)
        let second = try await h.agent.send("two")
        #expect(await h.agent.status().queuedInputs.map(\.id) == [second])
        try await recorder.wait { if case .done(let d) = $0.event { return d.inputIds.contains(second) } else { return false } }
        let dones = recorder.all.compactMap { if case .done(let d) = $0.event { return d } else { return nil } }
        #expect(dones.first?.inputIds.contains(first) == true)
        await h.tearDown()
    }
}
