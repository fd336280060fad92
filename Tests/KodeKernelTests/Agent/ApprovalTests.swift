import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Approvals")
struct ApprovalTests {
    static let writeTwice = #"""
        {"turns":[
          {"tool_calls":[{"name":"bash_run","input":{"cmd":"echo same"}}]},
          {"tool_calls":[{"name":"bash_run","input":{"cmd":"echo same"}}]},
          {"text":"done"}]}
        """#

    @Test("deciding a call twice is an error: it is not pending")
    func decideTwice() async throws {
        let h = try await AgentHarness.make(script: Self.writeTwice, permission: .approval)
        let recorder = EventRecorder(h.agent)
        _ = try await h.agent.send("go")
        let asked = try await recorder.wait(for: .permissionRequired)
        let e = try #require(asked.event.permissionRequiredEvent)
        try await h.agent.decide(e.callId, .deny, note: "not now")
        await #expect(throws: AgentError.self) { try await h.agent.decide(e.callId, .allow) }
        do {
            try await h.agent.decide(e.callId, .allow)
        } catch let error as AgentError {
            #expect(error.description.contains("not pending"))
        }
        await h.agent.interrupt()
        await h.tearDown()
    }

    @Test("a denial reaches the model with the person's note")
    func denyWithNote() async throws {
        let h = try await AgentHarness.make(script: #"{"turns":[{"tool_calls":[{"name":"fs_write","input":{"path":"a","content":"x"}}]},{"text":"ok"}]}"#, permission: .approval)
        let recorder = EventRecorder(h.agent)
        _ = try await h.agent.send("go")
        let asked = try await recorder.wait(for: .permissionRequired)
        let e = try #require(asked.event.permissionRequiredEvent)
        #expect(e.inputPreview.contains("a"))
        try await h.agent.decide(e.callId, .deny, note: "use b instead")
        try await recorder.wait(for: .done)
        let call = try #require(await h.agent.snapshot().toolCalls[e.callId])
        #expect(call.state == .denied)
        #expect(call.outputPreview?.contains("use b instead") == true)
        #expect(!FileManager.default.fileExists(atPath: h.workDir.appendingPathComponent("a").path))
        await h.tearDown()
    }

    @Test("an always decision becomes a visible, revocable rule")
    func alwaysRule() async throws {
        let h = try await AgentHarness.make(script: Self.writeTwice, permission: .approval)
        let recorder = EventRecorder(h.agent)
        _ = try await h.agent.send("go")
        let asked = try await recorder.wait(for: .permissionRequired)
        let e = try #require(asked.event.permissionRequiredEvent)
        try await h.agent.decide(e.callId, .allow, scope: .always)
        try await recorder.wait(for: .done)
        let requests = recorder.all.filter { $0.event.type == .permissionRequired }
        #expect(requests.count == 1, "the second echo matched the always rule")
        let rules = await h.agent.snapshot().rules
        #expect(rules.count == 1)
        #expect(rules.first?.pattern == e.alwaysPattern)
        try await h.agent.revokeRule(rules[0].id)
        #expect(await h.agent.snapshot().rules.isEmpty)
        await h.tearDown()
    }

    @Test("revoking a rule the agent does not have names the rule")
    func revokeUnknownRule() async throws {
        let h = try await AgentHarness.make(script: #"{"turns":[{"text":"ok"}]}"#)
        await #expect(throws: AgentError.unknownRule("rule_x")) { try await h.agent.revokeRule("rule_x") }
        #expect(AgentError.unknownRule("rule_x").description == "no rule 'rule_x' in this agent")
        await h.tearDown()
    }

    @Test("readonly mode denies writers without asking")
    func readonlyMode() async throws {
        let h = try await AgentHarness.make(script: #"{"turns":[{"tool_calls":[{"name":"fs_write","input":{"path":"a","content":"x"}},{"name":"fs_glob","input":{"pattern":"*"}}]},{"text":"ok"}]}"#, permission: .readonly)
        _ = try await h.agent.chat("go")
        let calls = await h.agent.snapshot().toolCalls
        #expect(calls["toolu_0_0"]?.state == .denied)
        #expect(calls["toolu_0_1"]?.state == .completed)
        await h.tearDown()
    }
}
