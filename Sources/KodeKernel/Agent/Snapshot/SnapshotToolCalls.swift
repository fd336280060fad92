import Foundation

/// The tool-call section of a snapshot state from version 4 on (docs/STORE-FORMAT.md,
/// "Snapshot state").
///
/// A tool-call record mostly repeats the conversation: its input is its `tool_use` block's, its
/// preview is usually the whole text of its `tool_result` block, and an automatic decision's
/// note is the reason, which is the same for every call the mode allows. Version 3 stored each
/// of them again, which made the records more than half of a tool loop's state (385 of 738 KB at
/// 1,000 steps; 140 of 493 KB now) and of the time to decode it. Version 4 stores the position
/// of the block instead, or a flag, and only where the encoder found the values equal; decoding
/// takes the value from the block already decoded, so the record shares the conversation's
/// string and dictionary storage rather than holding copies.
enum SnapshotToolCalls {
    /// What a record leaves out.
    struct Flags: OptionSet {
        let rawValue: UInt8
        /// The dictionary key differs from the record's id and is stored before it.
        static let ownKey = Flags(rawValue: 1 << 0)
        /// The input is that of the `tool_use` block at the stored position.
        static let inputInConversation = Flags(rawValue: 1 << 1)
        /// The preview is the text of the `tool_result` block at the stored position.
        static let previewInConversation = Flags(rawValue: 1 << 2)
        /// The decision's note is the record's reason.
        static let noteIsReason = Flags(rawValue: 1 << 3)
        /// The reason is the previous record's (automatic approval gives every call the same one).
        static let reasonAsBefore = Flags(rawValue: 1 << 4)

        static let known: Flags = [.ownKey, .inputInConversation, .previewInConversation, .noteIsReason, .reasonAsBefore]
    }

    /// A content block: the index of its message, then its index in the message.
    struct Position {
        var message: Int
        var block: Int
    }

    static func encode(_ state: AgentState, into w: inout ByteWriter) {
        var uses: [String: Position] = [:], results: [String: Position] = [:]
        uses.reserveCapacity(state.toolCalls.count)
        results.reserveCapacity(state.toolCalls.count)
        for (m, message) in state.messages.enumerated() {
            for (b, block) in message.content.enumerated() {
                switch block {
                case .toolUse(let id, _, _): uses[id] = Position(message: m, block: b)
                case .toolResult(let id, _, _): results[id] = Position(message: m, block: b)
                default: break
                }
            }
        }
        func block(at position: Position) -> ContentBlock { state.messages[position.message].content[position.block] }

        w.list(state.toolCallOrder) { $0.string($1) }
        w.count(state.toolCalls.count)
        var previousReason: String?
        for (key, call) in state.toolCalls {
            var flags: Flags = []
            if key != call.id { flags.insert(.ownKey) }
            let use = uses[call.id].flatMap { position -> Position? in
                if case .toolUse(_, _, let input) = block(at: position), input == call.input { return position }
                return nil
            }
            if use != nil { flags.insert(.inputInConversation) }
            let result = results[call.id].flatMap { position -> Position? in
                if case .toolResult(_, let content, _) = block(at: position), content == call.outputPreview { return position }
                return nil
            }
            if result != nil { flags.insert(.previewInConversation) }
            if let note = call.decision?.note, note == call.reason { flags.insert(.noteIsReason) }
            if let reason = call.reason, reason == previousReason { flags.insert(.reasonAsBefore) }
            previousReason = call.reason

            w.u8(flags.rawValue)
            if flags.contains(.ownKey) { w.string(key) }
            w.string(call.id)
            w.string(call.name)
            if let use { w.position(use) } else { w.json(call.input) }
            w.string(call.state.rawValue)
            if !flags.contains(.reasonAsBefore) { w.optionalString(call.reason) }
            w.optional(call.decision) { w, decision in
                w.string(decision.decision.rawValue)
                w.string(decision.decidedBy)
                if !flags.contains(.noteIsReason) { w.optionalString(decision.note) }
                w.string(decision.scope.rawValue)
                w.date(decision.timestamp)
            }
            w.date(call.createdAt)
            w.date(call.updatedAt)
            w.optionalDate(call.startedAt)
            w.optionalDate(call.finishedAt)
            if let result { w.position(result) } else { w.optionalString(call.outputPreview) }
            w.optionalString(call.output)
            w.bool(call.isError)
        }
    }

    /// The smallest record: flags, empty id and name, a null input, an empty state name, no
    /// reason, no decision, two dates, no start, no finish, no preview, no output, the error flag.
    static let minimumRecordSize = 1 + 4 + 4 + 1 + 4 + 1 + 1 + 8 + 8 + 1 + 1 + 1 + 1 + 1

    /// Reads the section into `state`, whose messages are decoded already.
    static func decode(_ r: inout ByteReader, into state: inout AgentState) throws(BinaryDecodingFailure) {
        state.toolCallOrder = try r.list(minimumSize: 4) { r throws(BinaryDecodingFailure) in try r.string() }
        let count = try r.count(minimumSize: minimumRecordSize)
        state.toolCalls.reserveCapacity(count)
        var previous = Previous()
        for _ in 0..<count {
            let (key, call) = try record(&r, messages: state.messages, previous: &previous)
            state.toolCalls[key] = call
        }
    }

    /// What the record before held, for the next one to share: its reason (flag 16), and the
    /// fields that are the same in most records (state, who decided, how), kept with their bytes:
    /// comparing a few bytes is cheaper than making a string and matching it against every
    /// case's name.
    private struct Previous {
        var reason: String?
        var state = Repeating<ToolCallState>()
        var decision = Repeating<DecisionKind>()
        var decidedBy = Repeating<String>()
        var scope = Repeating<DecisionScope>()
    }

    /// A string field and the value made of it, reused while the bytes are the same.
    private struct Repeating<Value> {
        var bytes: UnsafeBufferPointer<UInt8>?
        var value: Value?

        mutating func read(_ r: inout ByteReader, as what: String, _ make: (String) -> Value?) throws(BinaryDecodingFailure) -> Value {
            let at = r.position
            let bytes = try r.stringBytes()
            if let value, let previous = self.bytes, previous.elementsEqual(bytes) { return value }
            let text = String(decoding: bytes, as: UTF8.self)
            guard let value = make(text) else { throw r.failure("'\(text)' is not a \(what)", at: at) }
            self.bytes = bytes
            self.value = value
            return value
        }
    }

    private static func record(_ r: inout ByteReader, messages: [Message], previous: inout Previous) throws(BinaryDecodingFailure) -> (String, ToolCallRecord) {
        let at = r.position
        let flags = Flags(rawValue: try r.u8())
        guard flags.isSubset(of: .known) else { throw r.failure("tool-call flags \(flags.rawValue) are not known", at: at) }
        let key = flags.contains(.ownKey) ? try r.string() : nil
        let id = try r.string()
        let name = try r.string()
        let input: JSONValue
        if flags.contains(.inputInConversation) {
            let position = try r.position(in: messages)
            guard case .toolUse(let useID, _, let value) = messages[position.message].content[position.block], useID == id else {
                throw r.failure("tool call \(id) points at message \(position.message) block \(position.block), which is not its tool_use", at: r.position - 8)
            }
            input = value
        } else {
            input = try r.json(depth: 0)
        }
        let state = try previous.state.read(&r, as: "ToolCallState") { ToolCallState(rawValue: $0) }
        let reason: String?
        if flags.contains(.reasonAsBefore) {
            guard let before = previous.reason else { throw r.failure("tool call \(id) repeats the reason of a record before it that has none", at: at) }
            reason = before
        } else {
            reason = try r.optionalString()
        }
        previous.reason = reason
        let decision = try r.optional { r throws(BinaryDecodingFailure) in
            ToolDecision(
                decision: try previous.decision.read(&r, as: "DecisionKind") { DecisionKind(rawValue: $0) },
                decidedBy: try previous.decidedBy.read(&r, as: "name") { $0 },
                note: flags.contains(.noteIsReason) ? reason : try r.optionalString(),
                scope: try previous.scope.read(&r, as: "DecisionScope") { DecisionScope(rawValue: $0) },
                timestamp: try r.date())
        }
        var call = ToolCallRecord(id: id, name: name, input: input, state: state, createdAt: try r.date())
        call.reason = reason
        call.decision = decision
        call.updatedAt = try r.date()
        call.startedAt = try r.optionalDate()
        call.finishedAt = try r.optionalDate()
        if flags.contains(.previewInConversation) {
            let position = try r.position(in: messages)
            guard case .toolResult(let resultID, let content, _) = messages[position.message].content[position.block], resultID == id else {
                throw r.failure("tool call \(id) points at message \(position.message) block \(position.block), which is not its tool_result", at: r.position - 8)
            }
            call.outputPreview = content
        } else {
            call.outputPreview = try r.optionalString()
        }
        call.output = try r.optionalString()
        call.isError = try r.bool()
        return (key ?? id, call)
    }
}

extension ByteWriter {
    /// A content block's position: u32 message index, u32 block index.
    mutating func position(_ position: SnapshotToolCalls.Position) {
        count(position.message)
        count(position.block)
    }
}

extension ByteReader {
    /// A content block's position, checked against `messages`.
    mutating func position(in messages: [Message]) throws(BinaryDecodingFailure) -> SnapshotToolCalls.Position {
        let at = position
        let message = Int(try u32()), block = Int(try u32())
        guard message < messages.count, block < messages[message].content.count else {
            throw failure("message \(message) block \(block) is not in the conversation (\(messages.count) messages)", at: at)
        }
        return SnapshotToolCalls.Position(message: message, block: block)
    }
}
