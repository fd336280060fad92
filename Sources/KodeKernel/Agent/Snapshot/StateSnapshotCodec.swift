import Foundation

/// The binary layout of an `AgentState` snapshot (docs/STORE-FORMAT.md, "Snapshot state"):
///
///     "KODESTAT" | version u32 | head | checkpoints | tool calls | messages | context | system context | settings | schedule
///
/// Each section (`context`, `system context` and `settings` from version 2 on, `schedule` from 3) is a u64 byte length followed by its fields.
/// From version 4 on the tool calls refer to blocks of the conversation (`SnapshotToolCalls`),
/// so a reader decodes the messages before them. The sections are
/// ordered so that a reader who needs only the first ones (a fork looking up a checkpoint)
/// stops early without touching the conversation, and a reader of the whole state checks that
/// every section is consumed exactly.
///
/// Written and read by hand rather than through `Codable`: opening an agent decodes its whole
/// conversation, and `JSONDecoder` took about 10 µs per message (a quarter of a second at
/// 20,000 messages) where this takes well under one.
enum StateSnapshotCodec {
    static let magic: [UInt8] = Array("KODESTAT".utf8)
    /// The layout this build writes and the newest it reads.
    static let version: UInt32 = 4
    /// The oldest layout this build reads (version 1 has no `context`, `system context` or
    /// `settings` section: no compaction, no recorded instructions, no model chosen with `/model`).
    static let oldestReadable: UInt32 = 1
    static let headerSize = 12

    /// `version` is this build's unless a test needs the layout of an earlier one (3: tool calls
    /// stored whole); the sections of versions before 3 are not left out.
    static func encode(_ state: AgentState, version: UInt32 = Self.version) -> [UInt8] {
        // The text dominates; the rest is a few dozen bytes per message and checkpoint.
        var w = ByteWriter(capacity: state.conversationChars + 64 * (state.messages.count + state.checkpoints.count) + 4096)
        for byte in magic { w.u8(byte) }
        w.u32(version)

        var section = w.beginLength()
        w.string(state.id)
        w.u64(state.lastSeq)
        w.string(state.runtimeState.rawValue)
        w.string(state.breakpoint.rawValue)
        w.usage(state.usage)
        w.optional(state.costUSD) { $0.double($1) }
        w.int(state.partialReplyChars)
        w.bool(state.turnOpen)
        w.list(state.turnInputIds) { $0.string($1) }
        w.int(state.conversationChars)
        w.bool(state.needsShaping)
        w.list(state.todos) { $0.todo($1) }
        w.list(state.rules) { $0.rule($1) }
        w.list(state.queuedInputs) { $0.queuedInput($1) }
        w.patchLength(at: section)

        section = w.beginLength()
        w.list(state.checkpoints) { $0.checkpoint($1) }
        w.patchLength(at: section)

        section = w.beginLength()
        if version >= 4 {
            SnapshotToolCalls.encode(state, into: &w)
        } else {
            w.list(state.toolCallOrder) { $0.string($1) }
            w.count(state.toolCalls.count)
            for (key, call) in state.toolCalls {
                w.string(key)
                w.toolCall(call)
            }
        }
        w.patchLength(at: section)

        section = w.beginLength()
        w.list(state.messages) { $0.message($1) }
        w.patchLength(at: section)

        section = w.beginLength()
        w.optional(state.compaction) { $0.compaction($1) }
        w.optional(state.contextCount) { w, count in
            w.int(count.tokens)
            w.int(count.atBytes)
        }
        w.patchLength(at: section)

        section = w.beginLength()
        w.list(state.instructions) { w, file in
            w.string(file.path)
            w.string(file.text)
        }
        w.list(state.toolManuals) { w, manual in
            w.string(manual.tool)
            w.string(manual.text)
        }
        w.list(state.rules.filter { $0.scope == .project }.map(\.id)) { $0.string($1) }
        w.patchLength(at: section)

        section = w.beginLength()
        w.optional(state.providerOverride) { w, p in
            w.string(p.name)
            w.string(p.model)
            w.optionalString(p.baseURL)
            w.optionalString(p.scriptPath)
        }
        // Added after version 2 was out: a settings section without it has no title.
        w.optionalString(state.title)
        w.patchLength(at: section)

        section = w.beginLength()
        w.schedule(state.schedule)
        w.patchLength(at: section)
        return w.bytes
    }

    /// Whether `bytes` start like this encoding (as opposed to the JSON states of earlier builds).
    static func isBinary(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= magic.count && bytes.prefix(magic.count).elementsEqual(magic)
    }

    /// The version field of an encoding that `isBinary` accepted.
    static func storedVersion(_ bytes: UnsafeRawBufferPointer) -> UInt32? {
        guard bytes.count >= headerSize else { return nil }
        return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: magic.count, as: UInt32.self))
    }

    /// Decodes a whole state. The caller has checked magic and version.
    static func decode(_ bytes: UnsafeRawBufferPointer) throws(BinaryDecodingFailure) -> AgentState {
        var r = ByteReader(bytes, from: headerSize)
        var state = try r.section("head") { r throws(BinaryDecodingFailure) in try head(&r) }
        state.checkpoints = try r.section("checkpoints") { r throws(BinaryDecodingFailure) in try checkpoints(&r) }
        // The tool calls after the conversation they refer to (version 4): skipped here, read
        // with a second reader once the messages are.
        let toolCallsAt = r.position
        try r.skipSection("tool calls")
        state.messages = try r.section("messages") { r throws(BinaryDecodingFailure) in
            try r.list(minimumSize: ByteReader.minimumMessageSize) { r throws(BinaryDecodingFailure) in try r.message() }
        }
        let version = storedVersion(bytes) ?? 0
        var calls = ByteReader(bytes, from: toolCallsAt)
        try calls.section("tool calls") { r throws(BinaryDecodingFailure) in
            if version >= 4 {
                try SnapshotToolCalls.decode(&r, into: &state)
                return
            }
            state.toolCallOrder = try r.list(minimumSize: 4) { r throws(BinaryDecodingFailure) in try r.string() }
            let count = try r.count(minimumSize: 4)
            state.toolCalls.reserveCapacity(count)
            for _ in 0..<count {
                let key = try r.string()
                state.toolCalls[key] = try r.toolCall()
            }
        }
        if version >= 2 {
            try r.section("context") { r throws(BinaryDecodingFailure) in
                state.compaction = try r.optional { r throws(BinaryDecodingFailure) in try r.compaction() }
                state.contextCount = try r.optional { r throws(BinaryDecodingFailure) in
                    ContextCount(tokens: try r.int(), atBytes: try r.int())
                }
            }
            try r.section("system context") { r throws(BinaryDecodingFailure) in
                state.instructions = try r.list(minimumSize: 8) { r throws(BinaryDecodingFailure) in
                    InstructionFile(path: try r.string(), text: try r.string())
                }
                state.toolManuals = try r.list(minimumSize: 8) { r throws(BinaryDecodingFailure) in
                    ToolManual(tool: try r.string(), text: try r.string())
                }
                let projectRules = Set(try r.list(minimumSize: 4) { r throws(BinaryDecodingFailure) in try r.string() })
                for index in state.rules.indices where projectRules.contains(state.rules[index].id) {
                    state.rules[index].scope = .project
                }
            }
            try r.section("settings") { r throws(BinaryDecodingFailure) in
                state.providerOverride = try r.optional { r throws(BinaryDecodingFailure) in
                    ProviderConfig(name: try r.string(), model: try r.string(), baseURL: try r.optionalString(), scriptPath: try r.optionalString())
                }
                if r.remaining > 0 { state.title = try r.optionalString() }
            }
        }
        if version >= 3 {
            state.schedule = try r.section("schedule") { r throws(BinaryDecodingFailure) in try r.schedule() }
        } else {
            // Older states have no triggers; the model-call count is what the conversation shows.
            state.schedule.modelSteps = state.messages.count { $0.role == .assistant }
        }
        guard r.remaining == 0 else { throw r.failure("\(r.remaining) bytes after the last section") }
        return state
    }

    /// Decodes only the conversation and the position (`lastSeq`), skipping the checkpoint and
    /// tool-call sections by their lengths: what `kode export` needs.
    static func decodeMessages(_ bytes: UnsafeRawBufferPointer) throws(BinaryDecodingFailure) -> (messages: [Message], lastSeq: UInt64) {
        var section = try messagesSection(bytes)
        var messages: [Message] = []
        messages.reserveCapacity(section.count)
        for _ in 0..<section.count { messages.append(try section.reader.message()) }
        try section.reader.leave(section.bounds)
        return (messages, section.lastSeq)
    }

    /// The messages section, entered: a reader at its first message, how many there are, the
    /// bounds to `leave` after the last, and the state's position (`lastSeq`). The checkpoint and
    /// tool-call sections are skipped by their lengths.
    static func messagesSection(_ bytes: UnsafeRawBufferPointer) throws(BinaryDecodingFailure)
        -> (reader: ByteReader, count: Int, bounds: ByteReader.SectionBounds, lastSeq: UInt64)
    {
        var r = ByteReader(bytes, from: headerSize)
        let head = try r.section("head") { r throws(BinaryDecodingFailure) in try Self.head(&r) }
        try r.skipSection("checkpoints")
        try r.skipSection("tool calls")
        let bounds = try r.enterSection("messages")
        let count = try r.count(minimumSize: ByteReader.minimumMessageSize)
        return (r, count, bounds, head.lastSeq)
    }

    /// Decodes only the head and the checkpoints: what a fork needs, without the conversation.
    static func decodeCheckpoints(_ bytes: UnsafeRawBufferPointer) throws(BinaryDecodingFailure) -> (checkpoints: [Checkpoint], lastSeq: UInt64) {
        var r = ByteReader(bytes, from: headerSize)
        let state = try r.section("head") { r throws(BinaryDecodingFailure) in try Self.head(&r) }
        let points = try r.section("checkpoints") { r throws(BinaryDecodingFailure) in try checkpoints(&r) }
        return (points, state.lastSeq)
    }

    private static func head(_ r: inout ByteReader) throws(BinaryDecodingFailure) -> AgentState {
        var state = AgentState(id: try r.string())
        state.lastSeq = try r.u64()
        state.runtimeState = try r.raw(RuntimeState.self)
        state.breakpoint = try r.raw(Breakpoint.self)
        state.usage = try r.usage()
        state.costUSD = try r.optional { r throws(BinaryDecodingFailure) in try r.double() }
        state.partialReplyChars = try r.int()
        state.turnOpen = try r.bool()
        state.turnInputIds = try r.list(minimumSize: 4) { r throws(BinaryDecodingFailure) in try r.string() }
        state.conversationChars = try r.int()
        state.needsShaping = try r.bool()
        state.todos = try r.list(minimumSize: 12) { r throws(BinaryDecodingFailure) in try r.todo() }
        state.rules = try r.list(minimumSize: 25) { r throws(BinaryDecodingFailure) in try r.rule() }
        state.queuedInputs = try r.list(minimumSize: 8) { r throws(BinaryDecodingFailure) in try r.queuedInput() }
        return state
    }

    private static func checkpoints(_ r: inout ByteReader) throws(BinaryDecodingFailure) -> [Checkpoint] {
        try r.list(minimumSize: ByteReader.minimumCheckpointSize) { r throws(BinaryDecodingFailure) in try r.checkpoint() }
    }
}
