import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Hooks")
struct HookTests {
    static let script = #"{"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"echo real"}},{"name":"fs_glob","input":{"pattern":"*"}},{"name":"fs_write","input":{"path":"w","content":"x"}}]},{"text":"done"}]}"#

    @Test("preToolUse can answer, deny or ask; postToolUse rewrites results")
    func toolHooks() async throws {
        let hooks = Hooks(
            preToolUse: { call in
                switch call.name {
                case "bash_run": return .answer(ToolOutput(content: "answered by hook"))
                case "fs_write": return .deny("writes are blocked by policy hook")
                default: return .proceed
                }
            },
            postToolUse: { call, output in
                ToolOutput(content: "[\(call.name)] " + output.content, isError: output.isError)
            })
        let h = try await AgentHarness.make(script: Self.script, hooks: hooks)
        _ = try await h.agent.chat("go")
        let calls = await h.agent.snapshot().toolCalls
        #expect(calls["toolu_0_0"]?.outputPreview == "answered by hook")
        #expect(calls["toolu_0_0"]?.state == .completed)
        #expect(calls["toolu_0_1"]?.outputPreview?.hasPrefix("[fs_glob] ") == true)
        #expect(calls["toolu_0_2"]?.state == .denied)
        #expect(calls["toolu_0_2"]?.outputPreview?.contains("blocked by policy hook") == true)
        await h.tearDown()
    }

    @Test("preModel rewrites the request and postModel the reply")
    func modelHooks() async throws {
        let seen = SeenSystem()
        let hooks = Hooks(
            preModel: { request in
                var request = request
                request.system = "REWRITTEN"
                await seen.set(request.system)
                return request
            },
            postModel: { message in
                var message = message
                message.content = [.text(message.text.uppercased())]
                return message
            })
        let h = try await AgentHarness.make(script: #"{"turns":[{"text":"quiet"}]}"#, hooks: hooks)
        _ = try await h.agent.chat("hi")
        #expect(await seen.value == "REWRITTEN")
        #expect(await h.agent.snapshot().messages.last?.text == "QUIET")
        await h.tearDown()
    }
}

actor SeenSystem {
    var value: String?
    func set(_ v: String?) { value = v }
}
