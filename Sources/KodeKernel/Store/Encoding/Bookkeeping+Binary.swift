import Foundation

/// The binary encoding of everything in the state besides the conversation: tool-call records,
/// checkpoints, todos, rules and queued input (snapshots and log records). Enums with string raw
/// values are stored as those names (the ones the events use), so adding a case never
/// renumbers anything.
extension ByteWriter {
    mutating func toolCall(_ call: ToolCallRecord) {
        string(call.id)
        string(call.name)
        json(call.input)
        string(call.state.rawValue)
        optionalString(call.reason)
        optional(call.decision) { $0.decision($1) }
        date(call.createdAt)
        date(call.updatedAt)
        optionalDate(call.startedAt)
        optionalDate(call.finishedAt)
        optionalString(call.outputPreview)
        optionalString(call.output)
        bool(call.isError)
    }

    mutating func decision(_ decision: ToolDecision) {
        string(decision.decision.rawValue)
        string(decision.decidedBy)
        optionalString(decision.note)
        string(decision.scope.rawValue)
        date(decision.timestamp)
    }

    mutating func checkpoint(_ checkpoint: Checkpoint) {
        string(checkpoint.id)
        u64(checkpoint.seq)
        optionalString(checkpoint.label)
        date(checkpoint.time)
        string(checkpoint.preview)
        int(checkpoint.messageCount)
    }

    mutating func todo(_ todo: TodoItem) {
        string(todo.id)
        string(todo.title)
        string(todo.status.rawValue)
    }

    mutating func rule(_ rule: PermissionRule) {
        string(rule.id)
        string(rule.pattern)
        string(rule.decision.rawValue)
        string(rule.grantedBy)
        optionalString(rule.note)
        date(rule.createdAt)
    }

    mutating func queuedInput(_ input: QueuedInput) {
        string(input.id)
        string(input.text)
    }

    mutating func usage(_ usage: TokenUsage) {
        int(usage.input)
        int(usage.output)
        int(usage.cacheRead)
        int(usage.cacheWrite)
    }

    /// A count, then each element.
    mutating func list<T>(_ elements: [T], _ write: (inout ByteWriter, T) -> Void) {
        count(elements.count)
        for element in elements { write(&self, element) }
    }
}

extension ByteReader {
    /// The smallest encoded checkpoint: empty id, seq, no label, time, empty preview, count.
    static let minimumCheckpointSize = 4 + 8 + 1 + 8 + 4 + 8

    mutating func toolCall() throws(BinaryDecodingFailure) -> ToolCallRecord {
        var call = ToolCallRecord(id: try string(), name: try string(), input: try json(depth: 0))
        call.state = try raw(ToolCallState.self)
        call.reason = try optionalString()
        call.decision = try optional { reader throws(BinaryDecodingFailure) in try reader.decision() }
        call.createdAt = try date()
        call.updatedAt = try date()
        call.startedAt = try optionalDate()
        call.finishedAt = try optionalDate()
        call.outputPreview = try optionalString()
        call.output = try optionalString()
        call.isError = try bool()
        return call
    }

    mutating func decision() throws(BinaryDecodingFailure) -> ToolDecision {
        ToolDecision(
            decision: try raw(DecisionKind.self), decidedBy: try string(), note: try optionalString(),
            scope: try raw(DecisionScope.self), timestamp: try date())
    }

    mutating func checkpoint() throws(BinaryDecodingFailure) -> Checkpoint {
        Checkpoint(
            id: try string(), seq: try u64(), label: try optionalString(), time: try date(),
            preview: try string(), messageCount: try int())
    }

    mutating func todo() throws(BinaryDecodingFailure) -> TodoItem {
        TodoItem(id: try string(), title: try string(), status: try raw(TodoItem.Status.self))
    }

    mutating func rule() throws(BinaryDecodingFailure) -> PermissionRule {
        PermissionRule(
            id: try string(), pattern: try string(), decision: try raw(DecisionKind.self),
            grantedBy: try string(), note: try optionalString(), createdAt: try date())
    }

    mutating func queuedInput() throws(BinaryDecodingFailure) -> QueuedInput {
        QueuedInput(id: try string(), text: try string())
    }

    mutating func usage() throws(BinaryDecodingFailure) -> TokenUsage {
        TokenUsage(input: try int(), output: try int(), cacheRead: try int(), cacheWrite: try int())
    }

    /// A count, then that many elements of at least `minimumSize` bytes each.
    mutating func list<T>(minimumSize: Int, _ read: (inout ByteReader) throws(BinaryDecodingFailure) -> T) throws(BinaryDecodingFailure) -> [T] {
        let length = try count(minimumSize: minimumSize)
        var elements: [T] = []
        elements.reserveCapacity(length)
        for _ in 0..<length { elements.append(try read(&self)) }
        return elements
    }
}
