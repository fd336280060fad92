import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Event coverage")
struct EveryEventTests {
    @Test("one long session publishes every event type")
    func everyType() async throws {
        let directory = try TemporaryDirectory(prefix: "kode-test")
        let workDir = directory.url
        let big = (1...120).map { "line \($0): " + String(repeating: "x", count: 60) }.joined(separator: "\n")
        try big.write(to: workDir.appendingPathComponent("big.txt"), atomically: true, encoding: .utf8)
        let script = #"""
            {"turns":[
              {"thinking":"plan","text":"ok","tool_calls":[
                 {"name":"todo_write","input":{"todos":[{"id":"1","title":"explore","status":"in_progress"}]}},
                 {"name":"fs_read","input":{"path":"big.txt"}},
                 {"name":"nope","input":{}}]},
              {"tool_calls":[{"name":"fs_write","input":{"path":"a.txt","content":"A"}}]},
              {"tool_calls":[{"name":"fs_glob","input":{"pattern":"*.txt"}}]},
              {"tool_calls":[{"name":"fs_glob","input":{"pattern":"*"}}]},
              {"text":"finished"},
              {"error":"the model is overloaded","error_kind":"rateLimited"}
            ]}
            """#
        let h = try await AgentHarness.make(script: script, permission: .approval, contextBudgetChars: 3000, workDir: workDir)
        let recorder = EventRecorder(h.agent)
        // Subscribed before the task starts, so a request published before it runs is not missed.
        let requests = h.agent.subscribe(kinds: [.permissionRequired])
        let approver = Task {
            for await envelope in requests {
                if case .permissionRequired(let e) = envelope.event {
                    try? await h.agent.decide(e.callId, .allow, scope: .always)
                }
            }
        }
        // A step trigger: `schedule_changed` now, `scheduler_triggered` during the turn.
        try await h.agent.addTrigger(TriggerSpec(schedule: .everySteps(2), action: .reminder("Keep going.")))
        _ = try await h.agent.send("explore")
        try await recorder.wait(for: .done)
        approver.cancel()
        let failed = try await h.agent.chat("once more")
        #expect(failed.reason == .failed)
        _ = try await h.agent.fork(at: "latest")
        try await recorder.wait(for: .agentForked)
        let other = ScriptedProvider(script: try ScriptedScript.parse(Data(script.utf8), source: "t"), model: "other")
        try await h.agent.switchModel(to: ProviderConfig(name: "scripted", model: "other"), provider: other, by: "test")
        try await recorder.wait(for: .modelChanged)
        try await h.agent.rename(to: "explorer", by: "test")
        try await recorder.wait(for: .agentRenamed)
        let last = await h.agent.status().lastSeq
        await h.agent.detach()

        // A different set of tools is recorded when the agent is opened; changed instructions when it reloads them.
        try "Be brief.".write(to: workDir.appendingPathComponent("AGENTS.md"), atomically: true, encoding: .utf8)
        let provider = ScriptedProvider(script: try ScriptedScript.parse(Data(script.utf8), source: "t"))
        let resumed = try await Agent.resume(id: h.agent.id, store: h.store, provider: provider,
                                             tools: ToolRegistry.builtins().restricted(to: ["fs_read", "bash_run"]))
        let after = EventRecorder(resumed, since: Bookmark(seq: last, timestamp: Date()))
        try await after.wait(for: .agentResumed)
        try await resumed.reloadInstructions()
        try await after.wait(for: .instructionsLoaded)

        let seen = Set(recorder.types + after.types)
        // Sub-agent events need a `task_run` session of their own: TaskRunTests checks both.
        let missing = Set(EventType.allCases).subtracting(seen).subtracting([.permissionRuleChanged, .subagentStarted, .subagentFinished]).map(\.rawValue).sorted()
        #expect(missing.isEmpty, "never published: \(missing)")
        #expect(seen.contains(.permissionRuleChanged))
        await resumed.close()
    }
}
