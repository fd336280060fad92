import Foundation
@testable import KodeKernel
import KodeTestSupport
import Testing

/// The binary snapshot encoding of `AgentState` (docs/STORE-FORMAT.md, "Snapshot state").
@Suite struct SnapshotCodecTests {
    static let awkward = [
        "", "plain", "quote \" and backslash \\ and slash /", "new\nline\r\ttab", "\u{0}\u{1}\u{1F}\u{7F}",
        "emoji 👩‍💻 and ❤️, wide 漢字", "line separator \u{2028} paragraph \u{2029}", "\\u0041 is not an escape",
        String(repeating: "long text ", count: 500),
    ]

    static func date(_ seconds: Double) -> Date { Date(timeIntervalSinceReferenceDate: seconds) }

    /// A tool input that exercises every JSON kind, nesting, unicode keys and escapes.
    static let input: JSONValue = [
        "path": "src/ünïcødé/\"quoted\"\\back.swift",
        "count": 42, "negative": -9_007_199_254_740_993, "ratio": 0.1, "huge": 1e300, "flag": true, "off": false, "none": nil,
        "list": [1, "two", [3.5, ["deep": ["deeper": [nil]]]], [:], []],
        "emoji 👩‍💻 key": "value\nwith\tcontrol\u{1}",
    ]

    /// A state with every field away from its default and every content block kind.
    static func fullState() -> AgentState {
        var state = AgentState(id: "agt_roundtrip")
        state.lastSeq = 1_234_567
        state.providerOverride = ProviderConfig(name: "openai", model: "gpt-4.1", baseURL: "http://127.0.0.1:9/v1", scriptPath: nil)
        state.schedule.triggers = [
            ScheduledTrigger(id: "trg_cron", spec: TriggerSpec(schedule: .cron(try! CronExpression("0 9 * * 1-5"), timeZone: "Europe/Paris"), action: .message("Morning."), name: "morning"),
                             created: date(5), nextFire: date(6), anchorStep: 0, fires: 3),
            ScheduledTrigger(id: "trg_steps", spec: TriggerSpec(schedule: .everySteps(4), action: .reminder("Re-read the plan.")), created: date(7), nextFire: nil, anchorStep: 9),
        ]
        state.schedule.pendingReminders = [.init(id: "rem_1", text: "Stretch.", triggerId: "trg_cron")]
        state.schedule.unansweredMessages = ["in_1"]
        state.schedule.modelSteps = 12
        state.title = "Login work \u{1b}[31m"
        state.messages = [
            Message(id: "msg_user", role: .user, content: awkward.map { .text($0) }, timestamp: date(1.000_000_1)),
            Message(id: "msg_assistant", role: .assistant, content: [
                .thinking("thinking 漢字", signature: "sig==/+"),
                .thinking("no signature", signature: nil),
                .text("calling"),
                .toolUse(id: "toolu_1", name: "fs_write", input: input),
                .toolUse(id: "toolu_2", name: "scalar", input: "just a string"),
                .toolUse(id: "toolu_3", name: "empty", input: [:]),
            ], timestamp: date(-12.5)),
            Message(id: "msg_results", role: .user, content: [
                .toolResult(toolUseId: "toolu_1", content: "ok ✓", isError: false),
                .toolResult(toolUseId: "toolu_2", content: "", isError: true),
            ], timestamp: date(3e8)),
            Message(id: "msg_empty", role: .assistant, content: [], timestamp: date(0)),
        ]
        var full = ToolCallRecord(id: "toolu_1", name: "fs_write", input: input, state: .completed, createdAt: date(10))
        full.reason = "asked because of a rule"
        full.decision = ToolDecision(decision: .allow, decidedBy: "user", note: "fine 👍", scope: .always, timestamp: date(11))
        full.updatedAt = date(12)
        full.startedAt = date(13)
        full.finishedAt = date(14.25)
        full.outputPreview = "preview"
        full.output = "the whole output\n"
        full.isError = true
        var bare = ToolCallRecord(id: "toolu_2", name: "scalar", input: "just a string", state: .approvalRequired, createdAt: date(20))
        bare.decision = ToolDecision(decision: .deny, decidedBy: "policy", note: nil, scope: .once, timestamp: date(21))
        state.toolCalls = ["toolu_1": full, "toolu_2": bare, "toolu_3": ToolCallRecord(id: "toolu_3", name: "empty", input: [:], createdAt: date(30))]
        state.toolCallOrder = ["toolu_2", "toolu_1", "toolu_3"]
        state.todos = [
            TodoItem(id: "t1", title: "first ✓", status: .completed),
            TodoItem(id: "t2", title: "second", status: .inProgress),
            TodoItem(id: "t3", title: "", status: .pending),
        ]
        state.rules = [
            PermissionRule(id: "rule_a", pattern: "bash_run(git status*)", decision: .allow, grantedBy: "user", note: "note", createdAt: date(40)),
            PermissionRule(id: "rule_b", pattern: "fs_write(**)", decision: .deny, grantedBy: "cli", note: nil, createdAt: date(41)),
            PermissionRule(id: "rule_c", pattern: "fs_read", decision: .allow, grantedBy: "cli", note: nil, createdAt: date(42), scope: .project),
        ]
        state.instructions = [InstructionFile(path: "/repo/AGENTS.md", text: "Be brief. ✓")]
        state.toolManuals = [ToolManual(tool: "bash_run", text: "notes"), ToolManual(tool: "fs_edit", text: "")]
        state.runtimeState = .paused
        state.breakpoint = .awaitingApproval
        state.queuedInputs = [QueuedInput(id: "in_1", text: "queued ünïcødé"), QueuedInput(id: "in_2", text: "")]
        state.checkpoints = [
            Checkpoint(id: "cp_3", seq: 3, label: nil, time: date(50), preview: "first question", messageCount: 1),
            Checkpoint(id: "cp_9", seq: 9, label: "named 🏷", time: date(51), preview: "", messageCount: 3),
        ]
        state.usage = TokenUsage(input: 1, output: 2, cacheRead: 3, cacheWrite: Int.max)
        state.costUSD = 0.125
        state.partialReplyChars = 77
        state.turnOpen = true
        state.turnInputIds = ["in_0", "in_x"]
        state.conversationChars = 9_999
        state.needsShaping = true
        state.compaction = Compaction(
            id: "cmp_1", summary: "what happened", replacedMessages: 2, firstMessageId: "msg_user", lastMessageId: "msg_a",
            replacedAssistantMessages: 1, replacedBytes: 900, summaryBytes: 120, tokensBefore: 5_000, tokensAfter: 300,
            trigger: .manual, instructions: "keep numbers", trimmedToolOutputs: 3)
        state.contextCount = ContextCount(tokens: 4_321, atBytes: 8_765)
        return state
    }

    static func roundTrip(_ state: AgentState) throws -> AgentState {
        try AgentState.decode(try state.encoded(), source: "test")
    }

    @Test func everyFieldAndContentBlockKindRoundTrips() throws {
        let state = Self.fullState()
        let decoded = try Self.roundTrip(state)
        #expect(decoded == state)
        // Spot checks that equality above really compared what matters.
        #expect(decoded.messages[1].toolUses.first?.input == Self.input)
        #expect(decoded.toolCalls["toolu_1"]?.finishedAt == Self.date(14.25))
        #expect(decoded.messages[0].timestamp == Self.date(1.000_000_1))
    }

    @Test func anEmptyStateRoundTrips() throws {
        let state = AgentState(id: "agt_empty")
        #expect(try Self.roundTrip(state) == state)
        var noCost = Self.fullState()
        noCost.costUSD = nil
        #expect(try Self.roundTrip(noCost) == noCost)
    }

    @Test func everyEnumCaseRoundTrips() throws {
        var state = Self.fullState()
        for runtime in RuntimeState.allCases {
            for breakpoint in Breakpoint.allCases {
                state.runtimeState = runtime
                state.breakpoint = breakpoint
                #expect(try Self.roundTrip(state) == state)
            }
        }
        for callState in ToolCallState.allCases {
            state.toolCalls["toolu_3"]?.state = callState
            #expect(try Self.roundTrip(state) == state)
        }
        for status in TodoItem.Status.allCases {
            state.todos[0].status = status
            #expect(try Self.roundTrip(state) == state)
        }
    }

    /// Adding a stored property to any of these types without encoding it would silently drop
    /// it on every open; this list makes that a failing test instead.
    @Test func theCodecCoversEveryStoredProperty() {
        func labels(_ value: Any) -> [String] { Mirror(reflecting: value).children.compactMap(\.label) }
        let state = Self.fullState()
        let hint = "a stored property was added or removed: update StateSnapshotCodec (and docs/STORE-FORMAT.md), then this list"
        #expect(labels(state) == [
            "id", "lastSeq", "messages", "toolCalls", "toolCallOrder", "todos", "rules", "runtimeState", "breakpoint",
            "queuedInputs", "checkpoints", "usage", "costUSD", "partialReplyChars", "turnOpen", "turnInputIds",
            "conversationChars", "needsShaping", "compaction", "contextCount", "instructions", "toolManuals", "providerOverride",
            "schedule",
            "title",
        ], "\(hint)")
        #expect(labels(state.schedule) == ["triggers", "pendingReminders", "unansweredMessages", "modelSteps"], "\(hint)")
        #expect(labels(state.compaction!) == [
            "id", "summary", "replacedMessages", "firstMessageId", "lastMessageId", "replacedAssistantMessages", "replacedBytes",
            "summaryBytes", "tokensBefore", "tokensAfter", "trigger", "instructions", "trimmedToolOutputs",
        ], "\(hint)")
        #expect(labels(state.messages[0]) == ["id", "role", "content", "timestamp"], "\(hint)")
        #expect(labels(state.toolCalls["toolu_1"]!) == [
            "id", "name", "input", "state", "reason", "decision", "createdAt", "updatedAt", "startedAt", "finishedAt",
            "outputPreview", "output", "isError",
        ], "\(hint)")
        #expect(labels(state.toolCalls["toolu_1"]!.decision!) == ["decision", "decidedBy", "note", "scope", "timestamp"], "\(hint)")
        #expect(labels(state.checkpoints[0]) == ["id", "seq", "label", "time", "preview", "messageCount"], "\(hint)")
        #expect(labels(state.todos[0]) == ["id", "title", "status"], "\(hint)")
        #expect(labels(state.rules[0]) == ["id", "pattern", "decision", "grantedBy", "note", "createdAt", "scope"], "\(hint)")
        #expect(labels(state.instructions[0]) == ["path", "text"], "\(hint)")
        #expect(labels(state.toolManuals[0]) == ["tool", "text"], "\(hint)")
        #expect(labels(state.queuedInputs[0]) == ["id", "text"], "\(hint)")
        #expect(labels(state.usage) == ["input", "output", "cacheRead", "cacheWrite"], "\(hint)")
    }

    @Test func checkpointsAloneMatchTheFullDecode() throws {
        let state = Self.fullState()
        let partial = try AgentState.decodeCheckpoints(try state.encoded())
        #expect(partial.checkpoints == state.checkpoints)
        #expect(partial.lastSeq == state.lastSeq)
    }

    @Test func everyTruncationFailsWithAnOffsetNeverATrap() throws {
        let bytes = try Self.fullState().encoded()
        for length in 0..<bytes.count {
            do {
                _ = try AgentState.decode(bytes.prefix(length), source: "cut.snap")
                Issue.record("a state cut to \(length) of \(bytes.count) bytes decoded")
            } catch let error as SnapshotError {
                guard case .unreadable(let source, let offset, _) = error else {
                    Issue.record("cut to \(length): \(error)")
                    continue
                }
                #expect(source == "cut.snap")
                #expect(offset <= length)
            }
        }
    }

    @Test func flippedBytesFailOrDecodeButNeverTrap() throws {
        let bytes = try Self.fullState().encoded()
        var failures = 0
        for index in 0..<bytes.count {
            var damaged = bytes
            damaged[index] ^= 0xFF
            do {
                _ = try AgentState.decode(damaged, source: "flip.snap")
            } catch is SnapshotError {
                failures += 1
            }
        }
        // Most flips hit a length, a tag, a count or a section boundary; text bytes may not.
        #expect(failures > bytes.count / 10)
    }

    /// A version 1 state (four sections, before the context, system context and settings) still
    /// opens, with none of them; so does a version 2 state (no schedule section).
    @Test func versionOneStatesWithoutTheContextSectionsStillRead() throws {
        var state = Self.fullState()
        state.compaction = nil
        state.contextCount = nil
        state.instructions = []
        state.toolManuals = []
        state.providerOverride = nil
        state.schedule = ScheduleState()
        // Without a schedule section the model-call count is the conversation's assistant messages.
        state.schedule.modelSteps = state.messages.count { $0.role == .assistant }
        state.title = nil
        for index in state.rules.indices { state.rules[index].scope = .agent }
        // Version 3's layout (tool calls stored whole), then cut down to the versions before it.
        var bytes = Data(StateSnapshotCodec.encode(state, version: 3))
        #expect(try AgentState.decode(bytes, source: "v3.snap") == state)
        // Version 3 appends the schedule section (u64 length, three empty u32-counted lists, the
        // i64 model-call count).
        let steps = UInt64(state.schedule.modelSteps)
        let schedule: [UInt8] = [20, 0, 0, 0, 0, 0, 0, 0] + Array(repeating: 0, count: 12) + (0..<8).map { UInt8(truncatingIfNeeded: steps >> ($0 * 8)) }
        #expect(Array(bytes.suffix(28)) == schedule)
        bytes.removeLast(28)
        bytes[8] = 2
        #expect(try AgentState.decode(bytes, source: "v2.snap") == state)
        // Version 2 appends the context section (u64 length, two absent optionals), the system
        // context section (u64 length, three empty u32-counted lists) and the settings section
        // (u64 length, two absent optionals: the model override and the title).
        let context: [UInt8] = [2, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        let system: [UInt8] = [12, 0, 0, 0, 0, 0, 0, 0] + Array(repeating: 0, count: 12)
        let settings: [UInt8] = [2, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        #expect(Array(bytes.suffix(40)) == context + system + settings)
        bytes.removeLast(40)
        bytes[8] = 1
        #expect(try AgentState.decode(bytes, source: "v1.snap") == state)
    }

    /// A tool loop's state: every record's input is its tool_use block's, its preview the whole
    /// tool result and its decision's note the reason, as with automatic approval.
    static func toolLoopState(steps: Int) -> AgentState {
        var state = AgentState(id: "agt_loop")
        let text = String(repeating: "kode bench text ", count: 10)
        for step in 0..<steps {
            let id = "toolu_\(step)"
            let input: JSONValue = ["n": .int(step)]
            state.messages.append(Message(id: "msg_a\(step)", role: .assistant, content: [.toolUse(id: id, name: "noop", input: input)], timestamp: date(Double(step))))
            state.messages.append(Message(id: "msg_t\(step)", role: .user, content: [.toolResult(toolUseId: id, content: text, isError: false)], timestamp: date(Double(step))))
            var call = ToolCallRecord(id: id, name: "noop", input: input, state: .completed, createdAt: date(Double(step)))
            call.reason = "mode auto allows every tool"
            call.decision = ToolDecision(decision: .allow, decidedBy: "policy", note: call.reason, scope: .once, timestamp: date(1))
            call.outputPreview = text
            state.toolCalls[id] = call
            state.toolCallOrder.append(id)
        }
        return state
    }

    /// Version 4 stores what a record repeats of the conversation (its input, its preview), of
    /// itself (a note that is the reason) or of the record before it (the reason) as a reference
    /// or a flag, and what differs whole.
    @Test func toolCallsReferToTheConversationInsteadOfRepeatingIt() throws {
        var state = Self.toolLoopState(steps: 50)
        state.toolCalls["toolu_1"]!.input = ["n": 99]
        state.toolCalls["toolu_2"]!.outputPreview = "kode bench"
        state.toolCalls["toolu_3"]!.decision!.note = "a note of its own"
        state.toolCalls["toolu_4"]!.outputPreview = nil
        state.toolCalls["another key"] = state.toolCalls["toolu_5"]
        state.toolCalls["toolu_6"]!.reason = "a reason of its own"
        state.toolCalls["toolu_7"]!.reason = nil
        let current = Data(StateSnapshotCodec.encode(state))
        let whole = Data(StateSnapshotCodec.encode(state, version: 3))
        #expect(try AgentState.decode(current, source: "v4.snap") == state)
        #expect(try AgentState.decode(whole, source: "v3.snap") == state)
        // The 40-odd records that repeat everything leave out at least a preview and a note each.
        let preview = state.toolCalls["toolu_0"]!.outputPreview!.utf8.count
        #expect(whole.count - current.count >= 40 * (preview + "mode auto allows every tool".utf8.count))
    }

    /// A reference that points at the wrong block is damage, reported with its offset.
    @Test func aReferenceToTheWrongBlockIsRefused() throws {
        let state = Self.toolLoopState(steps: 200)
        var bytes = Data(StateSnapshotCodec.encode(state))
        // toolu_150's input is message 300's block 0: point it at message 301, a tool result.
        let reference: [UInt8] = [44, 1, 0, 0, 0, 0, 0, 0]
        let name: [UInt8] = [4, 0, 0, 0] + Array("noop".utf8)
        let pattern = name + reference
        let found = (0..<(bytes.count - pattern.count)).filter { Array(bytes[$0..<($0 + pattern.count)]) == pattern }
        #expect(found.count == 1)
        guard let at = found.first else { return }
        bytes[at + 8] = 45
        #expect {
            try AgentState.decode(bytes, source: "bad.snap")
        } throws: { error in
            guard case SnapshotError.unreadable(let source, _, let reason) = error else { return false }
            return source == "bad.snap" && reason.contains("toolu_150") && reason.contains("not its tool_use")
        }
    }

    @Test func aNewerVersionIsRefusedByName() throws {
        var bytes = try Self.fullState().encoded()
        bytes[8] = 5
        #expect(throws: SnapshotError.unsupportedVersion(source: "new.snap", version: 5, newestReadable: 4)) {
            try AgentState.decode(bytes, source: "new.snap")
        }
        let message = "\(SnapshotError.unsupportedVersion(source: "new.snap", version: 5, newestReadable: 4))"
        #expect(message.contains("new.snap") && message.contains("version 5"))
    }

    @Test func jsonSnapshotsOfEarlierBuildsStillRead() throws {
        var state = Self.fullState()
        // Those snapshots kept dates in milliseconds since 1970.
        let whole = Self.date(1_000)
        state.messages = state.messages.map { Message(id: $0.id, role: $0.role, content: $0.content, timestamp: whole) }
        state.toolCalls = [:]
        state.toolCallOrder = []
        state.rules = []
        state.checkpoints = state.checkpoints.map { var c = $0; c.time = whole; return c }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        let json = try encoder.encode(state)
        #expect(try AgentState.decode(json, source: "old.snap") == state)
        // Those states predate the system context: without its keys they still decode, empty.
        var object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        object["instructions"] = nil
        object["toolManuals"] = nil
        var older = state
        older.instructions = []
        older.toolManuals = []
        #expect(try AgentState.decode(try JSONSerialization.data(withJSONObject: object), source: "older.snap") == older)
        #expect(try AgentState.decodeCheckpoints(json).checkpoints == state.checkpoints)
        #expect(throws: SnapshotError.self) { try AgentState.decode(Data("nonsense".utf8), source: "x") }
    }

    // MARK: Through a file store

    static func storedAgent(_ fixture: TemporaryDirectory) async throws -> (FileStore, AgentID, AgentState) {
        let store = try FileStore(root: fixture.url.appendingPathComponent("store"))
        var config = AgentConfig(provider: ProviderConfig(name: "scripted", model: "scripted"), workDir: fixture.url.path)
        config.permission.mode = .auto
        let script = #"{"turns":[{"text":"one ✓"},{"text":"two"}]}"#
        let agent = try await Agent.create(config: config, store: store, provider: try provider(script))
        _ = try await agent.chat("first 👋")
        _ = try await agent.chat("second")
        let state = await agent.snapshot()
        await agent.close()
        return (store, agent.id, state)
    }

    static func provider(_ script: String) throws -> ScriptedProvider {
        ScriptedProvider(script: try ScriptedScript.parse(Data(script.utf8), source: "t"))
    }

    /// Rewrites the newest snapshot's state through `change`, with a valid file checksum, so only
    /// the state decoder can notice.
    static func rewriteNewestSnapshot(_ root: URL, _ id: AgentID, _ change: (inout [UInt8]) -> Void) throws -> String {
        let directory = root.appendingPathComponent("store/agents/\(id)/snapshots")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted().last)
        let url = directory.appendingPathComponent(name)
        var (snapshot, position) = try SnapshotFile.decode(Array(try Data(contentsOf: url)), file: name)
        var bytes = Array(snapshot.data)
        change(&bytes)
        snapshot.data = Data(bytes)
        try Data(SnapshotFile.encode(snapshot, position: position)).write(to: url)
        return "agents/\(id)/snapshots/\(name)"
    }

    @Test func aResumedAgentHasExactlyTheStateItWasClosedWith() async throws {
        let fixture = try TemporaryDirectory(prefix: "kode-snapcodec")
        let (store, id, before) = try await Self.storedAgent(fixture)
        let history = try await FileStore(root: store.root).history(of: id)
        let data = try #require(history.snapshot?.data)
        #expect(data.starts(with: StateSnapshotCodec.magic))
        // The snapshot written on close covers everything: the state is that snapshot alone.
        #expect(try AgentState.rebuild(from: history) == before)
    }

    @Test func aDamagedStateRefusesToOpenNamingTheFile() async throws {
        let fixture = try TemporaryDirectory(prefix: "kode-snapcodec")
        let (store, id, _) = try await Self.storedAgent(fixture)
        // A message count far larger than the bytes that follow.
        let file = try Self.rewriteNewestSnapshot(fixture.url, id) { bytes in
            let count = bytes.count
            bytes.replaceSubrange((count - 40)..<count, with: [UInt8](repeating: 0xEE, count: 40))
        }
        await #expect {
            _ = try await Agent.resume(id: id, store: try FileStore(root: store.root), provider: try Self.provider(#"{"turns":[]}"#))
        } throws: { error in
            guard case .unreadable(let source, _, _)? = error as? SnapshotError else { return false }
            return source == file && "\(error)".contains(file)
        }
        // The refusal released the writer lock: another open gets the same clear error, not "locked".
        await #expect(throws: SnapshotError.self) {
            _ = try await Agent.resume(id: id, store: try FileStore(root: store.root), provider: try Self.provider(#"{"turns":[]}"#))
        }
    }

    @Test func aSnapshotFromANewerBuildRefusesToOpenNamingTheFile() async throws {
        let fixture = try TemporaryDirectory(prefix: "kode-snapcodec")
        let (store, id, _) = try await Self.storedAgent(fixture)
        let file = try Self.rewriteNewestSnapshot(fixture.url, id) { $0[8] = 9 }
        await #expect(throws: SnapshotError.unsupportedVersion(source: file, version: 9, newestReadable: 4)) {
            _ = try await Agent.resume(id: id, store: try FileStore(root: store.root), provider: try Self.provider(#"{"turns":[]}"#))
        }
    }
}
