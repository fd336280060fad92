import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Resume and fork (in memory)")
struct ResumeAndForkTests {
    static let script = #"{"turns":[{"tool_calls":[{"name":"fs_write","input":{"path":"a.txt","content":"A"}}]},{"text":"written"},{"text":"again"}]}"#

    @Test("a pending approval survives a detach and is shown again, never auto-approved")
    func pendingApprovalSurvives() async throws {
        let h = try await AgentHarness.make(script: Self.script, permission: .approval)
        let recorder = EventRecorder(h.agent)
        _ = try await h.agent.send("write")
        try await recorder.wait(for: .permissionRequired)
        let before = await h.agent.status().lastSeq
        await h.agent.detach()

        let provider = ScriptedProvider(script: try ScriptedScript.parse(Data(Self.script.utf8), source: "t"))
        let resumed = try await Agent.resume(id: h.agent.id, store: h.store, provider: provider)
        let replay = EventRecorder(resumed, since: Bookmark(seq: before, timestamp: Date()))
        let report = try await replay.wait(for: .agentResumed)
        let r = try #require(report.event.agentResumedEvent)
        #expect(r.breakpoint == .awaitingApproval)
        #expect(r.pendingApprovals == ["toolu_0_0"])
        try await replay.wait(for: .permissionRequired)
        #expect(await resumed.status().pendingApprovals.map(\.id) == ["toolu_0_0"])
        #expect(await resumed.status().runtimeState == .paused)
        #expect(!FileManager.default.fileExists(atPath: h.workDir.appendingPathComponent("a.txt").path))

        try await resumed.decide("toolu_0_0", .allow)
        try await resumed.continueTurn()
        await resumed.waitUntilIdle()
        #expect(await resumed.snapshot().messages.last?.text == "written")
        #expect(FileManager.default.fileExists(atPath: h.workDir.appendingPathComponent("a.txt").path))
        await resumed.close()
        try? FileManager.default.removeItem(at: h.workDir)
    }

    @Test("seq keeps increasing across a resume")
    func seqNeverReused() async throws {
        let h = try await AgentHarness.make(script: #"{"turns":[{"text":"one"},{"text":"two"}]}"#)
        let first = try await h.agent.chat("a")
        await h.agent.close()
        let provider = ScriptedProvider(script: try ScriptedScript.parse(Data(#"{"turns":[{"text":"one"},{"text":"two"}]}"#.utf8), source: "t"))
        let again = try await Agent.resume(id: h.agent.id, store: h.store, provider: provider)
        let second = try await again.chat("b")
        #expect(second.bookmark.seq > first.bookmark.seq)
        let records = try await h.store.records(of: h.agent.id, after: 0)
        let seqs = records.map(\.seq)
        #expect(seqs == seqs.sorted() && Set(seqs).count == seqs.count)
        await again.close()
        try? FileManager.default.removeItem(at: h.workDir)
    }

    @Test("a fork starts from the checkpoint's conversation and then evolves on its own")
    func forkIsIndependent() async throws {
        let script = #"{"turns":[{"text":"parent one"},{"text":"parent two"}]}"#
        let h = try await AgentHarness.make(script: script)
        _ = try await h.agent.chat("first question")
        let labelled = try await h.agent.checkpoint(label: "after first")
        _ = try await h.agent.chat("second question")
        let child = try await h.agent.fork(at: "after first")
        let provider = ScriptedProvider(script: try ScriptedScript.parse(Data(script.utf8), source: "t"))
        let forked = try await Agent.resume(id: child, store: h.store, provider: provider)
        let childState = await forked.snapshot()
        #expect(childState.messages.count == labelled.messageCount)
        #expect(childState.messages.map(\.text) == ["first question", "parent one"])
        #expect(await forked.status().parent == ParentRef(agentId: h.agent.id, seq: labelled.seq))
        _ = try await forked.chat("a different second question")
        #expect(await forked.snapshot().messages.map(\.text).last == "parent two")
        #expect(await h.agent.snapshot().messages.count == 4, "the parent is untouched by the child")
        await #expect(throws: (any Error).self) { try await h.store.delete(h.agent.id) }
        await forked.close()
        await h.tearDown()
    }

    @Test("checkpoints are listed oldest first and a label names the newest")
    func checkpoints() async throws {
        let h = try await AgentHarness.make(script: #"{"turns":[{"tool_calls":[{"name":"fs_glob","input":{"pattern":"*"}}]},{"text":"ok"}]}"#)
        _ = try await h.agent.chat("look around")
        let points = await h.agent.checkpoints()
        #expect(points.count == 3, "after the user message, after the tool-result batch and after the answer")
        #expect(points.map(\.seq) == points.map(\.seq).sorted())
        #expect(points.first?.preview == "look around")
        let labelled = try await h.agent.checkpoint(label: "explored")
        #expect(labelled.id == points.last?.id)
        #expect(await h.agent.checkpoints().last?.label == "explored")
        await #expect(throws: AgentError.self) { _ = try await h.agent.fork(at: "no-such-point") }
        await h.tearDown()
    }
}
