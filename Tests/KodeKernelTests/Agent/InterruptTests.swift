import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Interrupt")
struct InterruptTests {
    @Test("interrupt during streaming stops the model and keeps what was shown")
    func duringStreaming() async throws {
        let long = String(repeating: "word ", count: 400)
        let h = try await AgentHarness.make(script: "{\"turns\":[{\"text\":\"\(long)\"}],\"chunk_size\":5,\"chunk_delay_ms\":5}")
        let recorder = EventRecorder(h.agent)
        _ = try await h.agent.send("talk")
        try await recorder.wait(for: .textChunk)
        let started = ContinuousClock.now
        await h.agent.interrupt()
        #expect(ContinuousClock.now - started < .seconds(2))
        let done = try await recorder.wait(for: .done)
        let d = try #require(done.event.doneEvent)
        #expect(d.reason == .interrupted)
        let state = await h.agent.snapshot()
        let reply = try #require(state.messages.last)
        #expect(reply.role == .assistant)
        #expect(reply.text.hasSuffix("[interrupted]"))
        #expect(reply.text.count < long.count)
        #expect(await h.agent.status().runtimeState == .ready)
        await h.tearDown()
    }

    @Test("interrupt during a tool kills its process and seals the call")
    func duringTool() async throws {
        let h = try await AgentHarness.make(script: #"{"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"sleep 5; echo late > late.txt"}},{"name":"fs_glob","input":{"pattern":"*"}}]},{"text":"never"}]}"#, toolConcurrency: 1)
        let recorder = EventRecorder(h.agent)
        _ = try await h.agent.send("run")
        try await recorder.wait(for: .toolStart)
        try await Task.sleep(for: .milliseconds(200))
        let started = ContinuousClock.now
        await h.agent.interrupt()
        #expect(ContinuousClock.now - started < .seconds(3))
        try await recorder.wait(for: .done)
        let state = await h.agent.snapshot()
        #expect(state.toolCalls["toolu_0_0"]?.state == .sealed)
        #expect(state.toolCalls["toolu_0_1"]?.state == .denied, "the second call never started")
        let ends = recorder.all.filter { $0.event.type == .toolEnd }
        #expect(ends.count == 2)
        let results = state.messages.last?.content.compactMap { block -> String? in
            if case .toolResult(let id, _, _) = block { return id } else { return nil }
        }
        #expect(results == ["toolu_0_0", "toolu_0_1"])
        try await Task.sleep(for: .seconds(6))
        #expect(!FileManager.default.fileExists(atPath: h.workDir.appendingPathComponent("late.txt").path), "the process group was killed")
        await h.tearDown()
    }

    @Test("interrupt while waiting for an approval answers the pending call")
    func duringApproval() async throws {
        let h = try await AgentHarness.make(script: #"{"turns":[{"tool_calls":[{"name":"fs_write","input":{"path":"a","content":"x"}}]}]}"#, permission: .approval)
        let recorder = EventRecorder(h.agent)
        _ = try await h.agent.send("go")
        try await recorder.wait(for: .permissionRequired)
        await h.agent.interrupt()
        try await recorder.wait(for: .done)
        #expect(await h.agent.snapshot().toolCalls["toolu_0_0"]?.state == .denied)
        #expect(await h.agent.status().pendingApprovals.isEmpty)
        await h.tearDown()
    }
}
