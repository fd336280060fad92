import Foundation
@testable import KodeKernel
import KodeTestSupport
import Testing

/// Log record bodies: binary (type 2) for the kinds written on every step, JSON (type 1) for the rest.
@Suite struct RecordCodecTests {
    static let awkward = SnapshotCodecTests.awkward

    static func date(_ seconds: Double) -> Date { Date(timeIntervalSinceReferenceDate: seconds) }

    /// One body of every kind the binary encoding covers, with `text` in every string.
    static func binaryBodies(_ text: String) -> [RecordBody] {
        let state = SnapshotCodecTests.fullState()
        let checkpoint = Checkpoint(id: "cp_\(text)", seq: 12, label: text, time: date(3.25), preview: text, messageCount: 4)
        return [
            .message(Message(id: "msg_\(text)", role: .assistant, content: [.text(text), .toolUse(id: text, name: text, input: SnapshotCodecTests.input)], timestamp: date(1.5))),
            .message(state.messages[2]),
            .toolCall(state.toolCalls["toolu_1"]!),
            .toolCall(state.toolCalls["toolu_3"]!),
            .inputQueued(QueuedInput(id: "in_\(text)", text: text)),
            .event(.textChunkStart(ChunkBoundary(messageId: text))),
            .event(.textChunk(ChunkDelta(messageId: "m", delta: text))),
            .event(.textChunkEnd(ChunkBoundary(messageId: text))),
            .event(.thinkChunkStart(ChunkBoundary(messageId: text))),
            .event(.thinkChunk(ChunkDelta(messageId: text, delta: text))),
            .event(.thinkChunkEnd(ChunkBoundary(messageId: text))),
            .event(.stateChanged(StateChangedEvent(from: .working, to: .paused))),
            .event(.breakpointChanged(BreakpointChangedEvent(from: .toolExecuting, to: .postTool))),
            .event(.checkpointCreated(CheckpointCreatedEvent(checkpoint: checkpoint))),
            .event(.checkpointCreated(CheckpointCreatedEvent(checkpoint: Checkpoint(id: "cp_1", seq: 1, label: nil, time: date(0), preview: "", messageCount: 0)))),
            .event(.done(DoneEvent(bookmark: Bookmark(seq: 99, timestamp: date(7.125)), reason: .stepLimit, inputIds: ["in_1", text]))),
            .event(.tokenUsage(TokenUsageEvent(usage: TokenUsage(input: 1, output: 2, cacheRead: 3, cacheWrite: 4), total: TokenUsage(input: 10), costUSD: 0.5, totalCostUSD: nil))),
            .event(.tokenUsage(TokenUsageEvent(usage: TokenUsage(), total: TokenUsage(), costUSD: nil, totalCostUSD: 1e-9))),
            .event(.toolStart(ToolStartEvent(callId: text, name: "bash_run", input: ["command": .string(text)]))),
            .event(.toolEnd(ToolEndEvent(callId: "c", name: text, state: .sealed, isError: true, durationMs: nil, outputPreview: text))),
            .event(.toolEnd(ToolEndEvent(callId: "c", name: "n", state: .completed, isError: false, durationMs: 12.5, outputPreview: ""))),
            .event(.toolExecuted(ToolExecutedEvent(callId: "c", name: "n", state: .failed, durationMs: 0.25, approval: "allow:\(text)", inputPreview: text, outputBytes: 1 << 40, isError: true))),
            .event(.toolExecuted(ToolExecutedEvent(callId: "c", name: "n", state: .denied, durationMs: nil, approval: "", inputPreview: "", outputBytes: 0, isError: false))),
        ]
    }

    /// Events too rare to need a binary shape.
    static let jsonBodies: [RecordBody] = [
        .event(.toolError(ToolErrorEvent(callId: "c", name: "n", message: "boom ✗"))),
        .event(.error(ErrorEvent(phase: .storage, severity: .warning, message: "m", detail: "d"))),
        .event(.todoChanged(TodoChangedEvent(todos: [TodoItem(id: "1", title: "t", status: .inProgress)]))),
        .event(.agentResumed(AgentResumedEvent(breakpoint: .preTool, sealedCalls: ["a"], discardedPartialBytes: 3, pendingApprovals: [], runnableCalls: ["b"], turnInterrupted: true))),
        .event(.agentForked(AgentForkedEvent(parent: ParentRef(agentId: "agt_p", seq: 5), child: "agt_c"))),
    ]

    static func frameAndDecode(_ body: RecordBody, seq: UInt64 = 7) throws -> (type: UInt8, record: LogRecord) {
        let record = LogRecord(seq: seq, timestamp: date(123.456789), body: body)
        var framed: [UInt8] = [0xAA]  // frames append to what the buffer already holds
        try RecordCodec.frame([record], into: &framed)
        let type = framed[9]
        let decoded = try framed.withUnsafeBytes { raw in
            try RecordCodec.decode(payload: UnsafeRawBufferPointer(rebasing: raw[10...]), type: try #require(LogFormat.RecordType(rawValue: type)))
        }
        return (type, decoded)
    }

    @Test(arguments: awkward)
    func binaryBodiesRoundTrip(_ text: String) throws {
        for body in Self.binaryBodies(text) {
            let (type, decoded) = try Self.frameAndDecode(body)
            #expect(type == LogFormat.RecordType.binaryRecord.rawValue, "\(body)")
            #expect(decoded == LogRecord(seq: 7, timestamp: Self.date(123.456789), body: body))
        }
    }

    @Test func rareEventsStayJSONAndRoundTrip() throws {
        for body in Self.jsonBodies {
            let (type, decoded) = try Self.frameAndDecode(body, seq: 1 << 60)
            #expect(type == LogFormat.RecordType.jsonRecord.rawValue, "\(body)")
            #expect(decoded.body == body && decoded.seq == 1 << 60)
        }
    }

    /// Equal records are equal bytes, whatever order their objects' keys were added in: a
    /// dictionary's own order differs between processes and between equal dictionaries built
    /// differently, and `kode store copy` relies on re-encoding giving the stored bytes back.
    @Test func equalObjectsEncodeToTheSameBytesWhateverTheirKeyOrder() throws {
        let keys = (0..<40).map { "key\($0)" }
        var forwards: [String: JSONValue] = [:]
        for (n, key) in keys.enumerated() { forwards[key] = .int(n) }
        var backwards: [String: JSONValue] = [:]
        backwards.reserveCapacity(4_096)
        for (n, key) in keys.enumerated().reversed() { backwards[key] = .int(n) }
        #expect(forwards == backwards)
        func bytes(_ input: [String: JSONValue]) throws -> [[UInt8]] {
            var call = SnapshotCodecTests.fullState().toolCalls["toolu_1"]!
            call.input = .object(input)
            // A binary body, and a JSON one (a permission request carries the call).
            let bodies: [RecordBody] = [
                .message(Message(id: "m", role: .assistant, content: [.toolUse(id: "t", name: "n", input: .object(input))], timestamp: Self.date(1))),
                .event(.permissionRequired(PermissionRequiredEvent(callId: call.id, call: call, inputPreview: "p", reason: "r", alwaysPattern: "a"))),
            ]
            return try bodies.map { body in
                var framed: [UInt8] = []
                try RecordCodec.frame([LogRecord(seq: 1, timestamp: Self.date(2), body: body)], into: &framed)
                return framed
            }
        }
        #expect(try bytes(forwards) == bytes(backwards))
    }

    @Test func framingMatchesTheDocumentedHeader() throws {
        var framed: [UInt8] = []
        let records = Self.binaryBodies("x").enumerated().map { LogRecord(seq: UInt64($0.offset + 1), timestamp: Self.date(0), body: $0.element) }
        try RecordCodec.frame(records, into: &framed)
        var seen: [UInt64] = []
        let end = try framed.withUnsafeBytes { raw in
            try LogScanner.scan(raw, base: 0, file: "test") { record in
                seen.append(record.seq)
                return true
            }
        }
        #expect(end == .clean)
        #expect(seen == records.map(\.seq))
    }

    @Test func everyTruncatedBinaryBodyFailsCleanly() throws {
        for body in Self.binaryBodies("trunc") {
            var framed: [UInt8] = []
            try RecordCodec.frame([LogRecord(seq: 1, timestamp: Self.date(0), body: body)], into: &framed)
            let bodyBytes = Array(framed[25...])
            for length in 0..<bodyBytes.count {
                #expect(throws: BinaryDecodingFailure.self) {
                    try bodyBytes.prefix(length).withUnsafeBytes { try BinaryRecordBody.decode($0) }
                }
            }
            // Nor may anything follow the last field.
            #expect(throws: BinaryDecodingFailure.self) {
                try (bodyBytes + [0]).withUnsafeBytes { try BinaryRecordBody.decode($0) }
            }
        }
    }

    /// Adding a stored property to an event payload without encoding it would silently drop it
    /// from the log; this list makes that a failing test instead.
    @Test func theBinaryBodiesCoverEveryStoredProperty() {
        func labels(_ value: Any) -> [String] { Mirror(reflecting: value).children.compactMap(\.label) }
        let hint = "a stored property was added or removed: update Events+Binary.swift (and docs/STORE-FORMAT.md), then this list"
        #expect(labels(ChunkBoundary(messageId: "")) == ["messageId"], "\(hint)")
        #expect(labels(ChunkDelta(messageId: "", delta: "")) == ["messageId", "delta"], "\(hint)")
        #expect(labels(StateChangedEvent(from: .ready, to: .ready)) == ["from", "to"], "\(hint)")
        #expect(labels(BreakpointChangedEvent(from: .ready, to: .ready)) == ["from", "to"], "\(hint)")
        #expect(labels(DoneEvent(bookmark: Bookmark(seq: 0, timestamp: Date()), reason: .completed, inputIds: [])) == ["bookmark", "reason", "inputIds"], "\(hint)")
        #expect(labels(Bookmark(seq: 0, timestamp: Date())) == ["seq", "timestamp"], "\(hint)")
        #expect(labels(TokenUsageEvent(usage: TokenUsage(), total: TokenUsage())) == ["usage", "total", "costUSD", "totalCostUSD"], "\(hint)")
        #expect(labels(ToolStartEvent(callId: "", name: "", input: nil)) == ["callId", "name", "input"], "\(hint)")
        #expect(labels(ToolEndEvent(callId: "", name: "", state: .completed, isError: false, durationMs: nil, outputPreview: "")) == [
            "callId", "name", "state", "isError", "durationMs", "outputPreview",
        ], "\(hint)")
        #expect(labels(ToolExecutedEvent(callId: "", name: "", state: .completed, durationMs: nil, approval: "", inputPreview: "", outputBytes: 0, isError: false)) == [
            "callId", "name", "state", "durationMs", "approval", "inputPreview", "outputBytes", "isError",
        ], "\(hint)")
        #expect(labels(CheckpointCreatedEvent(checkpoint: Checkpoint(id: "", seq: 0, label: nil, time: Date(), preview: "", messageCount: 0))) == ["checkpoint"], "\(hint)")
    }

    @Test func aRecordThatVerifiesButDoesNotDecodeIsNamedByFileAndOffset() async throws {
        let fixture = try await StoreFixture()
        try await fixture.append(bigRecords(from: 1, count: 3, size: 10))
        var bytes = try fixture.segmentBytes()
        let start = recordOffsets(in: bytes)[1]
        #expect(bytes[start + 8] == LogFormat.RecordType.binaryRecord.rawValue)
        // An unknown body kind, with the checksum made valid again.
        bytes[start + 9 + 16] = 0xFE
        let length = Int(bytes[start]) | Int(bytes[start + 1]) << 8
        let crc = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[(start + 8)..<(start + 9 + length)])) }
        withUnsafeBytes(of: crc.littleEndian) { for i in 0..<4 { bytes[start + 4 + i] = $0[i] } }
        try fixture.writeSegment(bytes)
        await #expect {
            _ = try await fixture.makeStore().records(of: fixture.id, after: 0)
        } throws: { error in
            guard case StoreError.corrupted(let file, let offset, let detail)? = error as? StoreError else { return false }
            return file == "agents/\(fixture.id)/wal/000001.log" && offset == UInt64(start) && detail.contains("seq 2")
        }
    }
}
