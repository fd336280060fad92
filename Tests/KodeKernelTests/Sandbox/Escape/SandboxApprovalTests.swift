import Foundation
import Testing
import KodeKernel
import KodeTestSupport

/// Asking for a wider sandbox always reaches a person, whatever the mode or the allow rules say,
/// and the modal shows it; an unconfined machine is announced when the agent starts.
@Suite("Sandbox approvals")
struct SandboxApprovalTests {
    static func script(outside: String) -> String {
        #"""
        {"turns":[
          {"tool_calls":[{"name":"bash_run","input":{"cmd":"echo x > \#(outside)/escaped.txt","sandbox":"full","reason":"writes the shared cache"}}]},
          {"text":"done"}]}
        """#
    }

    @Test("a wider sandbox asks a person even in auto mode, and runs unconfined once allowed")
    func asksEvenInAuto() async throws {
        let outside = try TemporaryDirectory(prefix: "kode-escape-outside")
        let h = try await AgentHarness.make(script: Self.script(outside: outside.path), permission: .auto)
        let recorder = EventRecorder(h.agent)
        _ = try await h.agent.send("go")
        let asked = try await recorder.wait(for: .permissionRequired)
        let request = try #require(asked.event.permissionRequiredEvent)
        #expect(request.reason.contains("asks to run outside the sandbox (unconfined): writes the shared cache"), "\(request.reason)")
        #expect(request.reason.contains("always need a person's approval"), "\(request.reason)")
        #expect(request.inputPreview.hasPrefix("[sandbox: full] $ echo x"), "\(request.inputPreview)")
        try await h.agent.decide(request.callId, .allow, note: "ok once")
        try await recorder.wait(for: .done)
        #expect(FileManager.default.fileExists(atPath: outside.appending("escaped.txt").path))
        let decided = recorder.all.compactMap { envelope -> DecisionKind? in
            guard case .permissionDecided(let decision) = envelope.event else { return nil }
            return decision.decision
        }
        #expect(decided == [.allow])
        await h.tearDown()
    }

    @Test("an allow rule for bash_run does not let a wider sandbox through; a deny rule still denies")
    func rulesDoNotWiden() {
        let allowed = PermissionEvaluator.escalated(.allow(reason: "matches allow rule \"bash_run\""), "the command asks to run with the network on: npm install")
        guard case .ask(let reason) = allowed else {
            Issue.record("expected a question, got \(allowed)")
            return
        }
        #expect(reason.contains("npm install"))
        #expect(PermissionEvaluator.escalated(.deny(reason: "no"), "more") == .deny(reason: "no"))
        #expect(PermissionEvaluator.escalated(.allow(reason: "auto"), nil) == .allow(reason: "auto"))
    }

    @Test("an agent whose sandbox cannot be enforced says so at start")
    func warnsAtStart() async throws {
        let work = try TemporaryDirectory(prefix: "kode-test")
        var config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: work.path)
        config.sandbox.simulateUnavailable = true
        let parsed = try ScriptedScript.parse(Data(#"{"turns":[{"text":"ok"}]}"#.utf8), source: "test script")
        let store = InMemoryStore()
        let agent = try await Agent.create(config: config, store: store, provider: ScriptedProvider(script: parsed))
        let records = try await store.history(of: agent.id).records
        let warnings = records.compactMap { record -> ErrorEvent? in
            guard case .event(.error(let error)) = record.body else { return nil }
            return error
        }
        #expect(warnings.count == 1)
        #expect(warnings.first?.severity == .warning)
        #expect(warnings.first?.message.contains("UNCONFINED") == true)
        #expect(await agent.status().sandbox?.label == "unconfined")
        await agent.close()
    }

    @Test("manifests written before the sandbox existed decode with the default sandbox")
    func oldManifestsDecode() throws {
        let config = AgentConfig(provider: ProviderConfig(name: "demo", model: "demo"), workDir: "/tmp")
        var object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(config)) as? [String: Any])
        object["sandbox"] = nil
        let decoded = try JSONDecoder().decode(AgentConfig.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(decoded.sandbox == SandboxConfig())
        #expect(decoded.sandbox.mode == .workspaceWrite && !decoded.sandbox.network)
    }
}
