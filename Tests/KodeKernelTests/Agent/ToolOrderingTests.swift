import Foundation
import KodeKernel
import KodeTestSupport
import Synchronization
import Testing

@Suite("Tool ordering")
struct ToolOrderingTests {
    @Test("a batch mixing writes and reads: each call that can change files runs alone, in call order")
    func writesRunAloneInOrder() async throws {
        let script = #"""
            {"turns":[
              {"tool_calls":[
                {"name":"fs_glob","input":{"pattern":"out/*"}},
                {"name":"bash_run","input":{"cmd":"mkdir -p out && touch out/one out/two"}},
                {"name":"fs_glob","input":{"pattern":"out/*"}},
                {"name":"fs_write","input":{"path":"w.txt","content":"written"}},
                {"name":"fs_read","input":{"path":"w.txt"}},
                {"name":"fs_grep","input":{"pattern":"written"}}]},
              {"text":"done"}]}
            """#
        let h = try await AgentHarness.make(script: script, toolConcurrency: 4)
        let recorder = EventRecorder(h.agent)
        let done = try await h.agent.chat("go")
        #expect(done.reason == .completed)
        let calls = await h.agent.snapshot().currentCallsOfFirstBatch
        #expect(calls.count == 6)
        #expect(!(calls[0].outputPreview ?? "").contains("out/one"))
        #expect((calls[2].outputPreview ?? "").contains("out/one"))
        #expect((calls[2].outputPreview ?? "").contains("out/two"))
        #expect((calls[4].outputPreview ?? "").contains("written"))
        #expect((calls[5].outputPreview ?? "").contains("w.txt"))

        // Starts and ends by seq: nothing overlaps a write, and writes keep call order.
        var start: [String: UInt64] = [:], end: [String: UInt64] = [:]
        for envelope in recorder.all {
            if case .toolStart(let e) = envelope.event { start[e.callId] = envelope.seq }
            if case .toolEnd(let e) = envelope.event { end[e.callId] = envelope.seq }
        }
        let ids = calls.map(\.id)
        for (index, id) in ids.enumerated() where ["bash_run", "fs_write"].contains(calls[index].name) {
            for before in ids[..<index] { #expect(end[before]! < start[id]!, "\(before) had not ended when \(calls[index].name) started") }
            for after in ids[(index + 1)...] { #expect(end[id]! < start[after]!, "\(after) started before \(calls[index].name) ended") }
        }
        await h.tearDown()
    }

    @Test("neighbouring read-only calls still run together")
    func readsRunConcurrently() async throws {
        let meeting = Rendezvous(expected: 2)
        var tools = ToolRegistry.builtins()
        tools.register(MeetTool(meeting: meeting))
        let script = #"{"turns":[{"tool_calls":[{"name":"meet","input":{}},{"name":"meet","input":{}}]},{"text":"done"}]}"#
        let h = try await AgentHarness.make(script: script, toolConcurrency: 4, tools: tools)
        _ = try await h.agent.chat("go")
        let outputs = await h.agent.snapshot().currentCallsOfFirstBatch.map(\.outputPreview)
        #expect(outputs == ["met", "met"], "both read-only calls must have been running at once")
        await h.tearDown()
    }
}

extension AgentState {
    /// The calls of the first assistant message with tool calls, in call order.
    var currentCallsOfFirstBatch: [ToolCallRecord] {
        guard let message = messages.first(where: { $0.role == .assistant && !$0.toolUses.isEmpty }) else { return [] }
        return message.toolUses.compactMap { toolCalls[$0.id] }
    }
}

/// Lets `expected` callers through once all of them have arrived; a caller that waits longer
/// than a minute gives up (the test then fails, rather than hanging).
final class Rendezvous: Sendable {
    private let arrived = Mutex(0)
    let expected: Int
    init(expected: Int) { self.expected = expected }

    func meet() async -> Bool {
        arrived.withLock { $0 += 1 }
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if arrived.withLock({ $0 }) >= expected { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return false
    }
}

/// A read-only tool that returns only when every expected caller is running.
struct MeetTool: Tool {
    let meeting: Rendezvous
    var name: String { "meet" }
    var description: String { "Waits for the other caller." }
    var inputSchema: JSONValue { ["type": "object"] }
    var isReadOnly: Bool { true }
    func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        ToolOutput(content: await meeting.meet() ? "met" : "alone")
    }
}
