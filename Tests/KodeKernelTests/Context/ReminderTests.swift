import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Reminders")
struct ReminderTests {
    @Test("open todos reach the model as a system reminder at the start of the next turn")
    func todoReminderAtTurnStart() async throws {
        let script = #"""
            {"turns":[
              {"tool_calls":[{"name":"todo_write","input":{"todos":[{"id":"1","title":"write the parser","status":"in_progress"}]}}]},
              {"text":"planned"},
              {"text":"working"}]}
            """#
        let box = ProviderBox()
        let h = try await AgentHarness.make(script: script) { box.wrap($0) }
        let recorder = EventRecorder(h.agent, kinds: [.reminderSent])
        _ = try await h.agent.chat("plan")
        #expect(!(box.provider?.replyRequests ?? []).contains { $0.allText.contains("<system-reminder>") })
        _ = try await h.agent.chat("go on")

        let request = try #require(box.provider?.replyRequests.last)
        #expect(request.allText.contains("<system-reminder>"))
        #expect(request.allText.contains("write the parser"))
        let event = try await recorder.wait(for: .reminderSent)
        guard case .reminderSent(let e) = event.event else { return }
        #expect(e.kind == "todos")
        let state = await h.agent.snapshot()
        #expect(state.messages.contains { $0.id == e.messageId && $0.text.contains("write the parser") }, "the reminder is recorded in the conversation")
        await h.tearDown()
    }

    @Test("and every N model calls within a turn")
    func todoReminderEveryNSteps() async throws {
        let read = #"{"tool_calls":[{"name":"todo_read","input":{}}]}"#
        let script = #"{"turns":[{"tool_calls":[{"name":"todo_write","input":{"todos":[{"id":"1","title":"t","status":"pending"}]}}]},"# +
            [read, read, read].joined(separator: ",") + #",{"text":"done"}]}"#
        let box = ProviderBox()
        let h = try await AgentHarness.make(script: script, context: ContextPolicy(todoReminderEverySteps: 2)) { box.wrap($0) }
        let recorder = EventRecorder(h.agent, kinds: [.reminderSent])
        _ = try await h.agent.chat("go")
        let requests = box.provider?.replyRequests ?? []
        #expect(requests.count == 5)
        // Model calls 0…4: the list exists from call 1 on, so calls 2 and 4 carry a new reminder.
        let reminders = requests.map { $0.allText.components(separatedBy: "<system-reminder>").count - 1 }
        #expect(reminders == [0, 0, 1, 1, 2])
        let reminderIds = await h.agent.snapshot().messages.filter { $0.id.hasPrefix("rem_") }.map(\.id)
        #expect(reminderIds.count == 2)
        let lastId = try #require(reminderIds.last)
        try await recorder.wait { if case .reminderSent(let r) = $0.event { return r.messageId == lastId } else { return false } }
        #expect(recorder.all.count == 2)
        await h.tearDown()
    }

    #if os(Linux)
    @Test("a change made outside the agent to a file it read reaches the model before its next call")
    func fileChangeReminder() async throws {
        let dir = try TemporaryDirectory(prefix: "kode-remind")
        try "v1\n".write(to: dir.url.appendingPathComponent("a.txt"), atomically: false, encoding: .utf8)
        let script = #"{"turns":[{"tool_calls":[{"name":"fs_read","input":{"path":"a.txt"}}]},{"text":"read"},{"text":"again"}]}"#
        let box = ProviderBox()
        let h = try await AgentHarness.make(script: script, workDir: dir.url) { box.wrap($0) }
        let recorder = EventRecorder(h.agent, kinds: [.fileChanged, .reminderSent])
        _ = try await h.agent.chat("read a.txt")
        try "v2 from a person\n".write(to: dir.url.appendingPathComponent("a.txt"), atomically: false, encoding: .utf8)
        let changed = try await recorder.wait { if case .fileChanged(let e) = $0.event { return e.source == "external" } else { return false } }
        guard case .fileChanged(let e) = changed.event else { return }
        #expect(e.path == "a.txt" && e.action == .modified && e.callId.isEmpty)

        _ = try await h.agent.chat("and now?")
        let request = try #require(box.provider?.replyRequests.last)
        #expect(request.allText.contains("<system-reminder>"))
        #expect(request.allText.contains("- a.txt (modified)"))
        try await recorder.wait { if case .reminderSent(let r) = $0.event { return r.kind == "file_changes" } else { return false } }
        await h.tearDown()
    }
    #endif
}
