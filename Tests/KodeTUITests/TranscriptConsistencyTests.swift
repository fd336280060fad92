import Foundation
import KodeKernel
import KodeTUI
import Testing

/// Issue 12's bugs: what a live view shows and what a reopened or forked one shows are the same.
@Suite struct TranscriptConsistencyTests {
    static func users(_ m: AppModel) -> [String] {
        m.conversation.items.compactMap { if case .user(let t, _, _) = $0.kind { return t } else { return nil } }
    }

    /// What each entry says, without times (a live cell and a stored one differ by milliseconds).
    static func lines(_ m: AppModel) -> [String] {
        m.conversation.items.map { item in
            switch item.kind {
            case .tool(let c): return "tool \(c.name) \(c.status) \(c.note ?? "") \(c.summary) → \(c.output)"
            default: return item.searchableText
            }
        }
    }

    /// Drives a live model from the agent's own events, as the app does.
    static func live(_ handle: any AgentHandle, send text: String, model: inout AppModel) async throws {
        let events = try await handle.subscribe(since: Bookmark(seq: try await handle.status().lastSeq, timestamp: Date()))
        model.conversation.addUser(text, inputId: nil, queued: false, at: Date())
        let id = try await handle.send(text)
        _ = Update.apply(.sent(inputId: id, text: text), to: &model)
        for await env in events {
            for effect in Update.apply(.event(env), to: &model) where effect == .refreshInputs {
                let status = try await handle.status()
                let newest = try await handle.transcript(max(0, status.messageCount - 8)..<status.messageCount)
                _ = Update.apply(.inputsSeen(queued: status.queuedInputs, newest: newest.messages), to: &model)
            }
            if case .done = env.event { break }
        }
        events.cancel()
    }

    @Test func openedAndForkedAgentsShowEachMessageOnce() async throws {
        let hub = try ClientFixtures.hub(script: #"{"turns":[{"text":"one"},{"text":"two"}]}"#)
        let handle = try await hub.create(ClientFixtures.config())
        var live = try await SessionLoader.model(for: handle, width: 100, height: 30, unicode: true, keymap: Keymap()).0
        try await Self.live(handle, send: "first", model: &live)
        try await Self.live(handle, send: "second", model: &live)
        #expect(Self.users(live) == ["first", "second"])
        let id = handle.id
        await handle.release(.leave)

        let reopened = try await hub.open(id, options: OpenOptions())
        let (opened, _) = try await SessionLoader.model(for: reopened, width: 100, height: 30, unicode: true, keymap: Keymap())
        #expect(Self.users(opened) == ["first", "second"])
        let child = try await reopened.fork(at: "latest")
        let forked = try await hub.open(child, options: OpenOptions())
        let (fork, _) = try await SessionLoader.model(for: forked, width: 100, height: 30, unicode: true, keymap: Keymap())
        #expect(Self.users(fork) == ["first", "second"])
        await forked.release(.leave)
        await reopened.release(.leave)
    }

    @Test func aLiveTranscriptAndTheSameAgentReopenedReadTheSame() async throws {
        let hub = try ClientFixtures.hub(script: #"{"turns":[{"tool_calls":[{"name":"fs_write","input":{"path":"notes.txt","content":"a\nb\nc\nd\ne\nf\ng\n"}}]},{"text":"wrote it"}]}"#)
        var config = ClientFixtures.config()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kode-consistency-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        config.workDir = dir.path
        let handle = try await hub.create(config)
        var live = try await SessionLoader.model(for: handle, width: 100, height: 30, unicode: true, keymap: Keymap()).0
        try await Self.live(handle, send: "write the notes", model: &live)
        let id = handle.id
        await handle.release(.leave)
        let reopened = try await hub.open(id, options: OpenOptions())
        let (opened, _) = try await SessionLoader.model(for: reopened, width: 100, height: 30, unicode: true, keymap: Keymap())
        // The reopened view adds its own "resumed" notice; everything else reads the same.
        let notices = Self.lines(opened).filter { $0.contains("resumed at") }
        #expect(notices.count <= 1)
        #expect(Self.lines(live) == Self.lines(opened).filter { !$0.contains("resumed at") })
        await reopened.release(.leave)
    }

    @Test func aResumedInterruptedTurnIsAnnouncedOnce() async throws {
        let hub = try ClientFixtures.hub(script: #"{"turns":[{"text":"one two three four five six"}],"chunk_size":2,"chunk_delay_ms":30}"#)
        let handle = try await hub.create(ClientFixtures.config())
        let events = try await handle.subscribe(since: nil)
        _ = try await handle.send("go")
        _ = await ClientFixtures.next(events) { if case .textChunk = $0.event { return true } else { return false } }
        events.cancel()
        let id = handle.id
        await handle.release(.detach)  // as a crash leaves it: mid-turn
        let reopened = try await hub.open(id, options: OpenOptions())
        var (model, since) = try await SessionLoader.model(for: reopened, width: 100, height: 30, unicode: true, keymap: Keymap())
        // What the app's subscription brings from the window's bookmark on, up to now.
        let lastSeq = try await reopened.status().lastSeq
        if lastSeq > since.seq {
            let replay = try await reopened.subscribe(since: since)
            for await env in replay {
                _ = Update.apply(.event(env), to: &model, now: Fixtures.t0)
                if env.seq >= lastSeq { break }
            }
            replay.cancel()
        }
        let notices = model.conversation.items.compactMap { if case .notice(let t, _) = $0.kind { return t } else { return nil } }
        #expect(notices.filter { $0.contains("Ctrl+R") }.count == 1, "\(notices)")
        await reopened.release(.leave)
    }
}
