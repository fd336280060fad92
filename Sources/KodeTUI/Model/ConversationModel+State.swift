import Foundation
import KodeKernel

// Building the conversation from the agent's state rather than by replaying its log: the newest
// messages of a window first, older pages prepended as the person scrolls back. Only committed
// messages and tool-call records are read, so the cost is that of the messages shown.
extension ConversationModel {
    /// The conversation of a state window: its messages, then the input still queued.
    package init(window: AgentStateWindow) {
        self.init()
        firstMessage = window.firstMessage
        appendHistory(window.state.messages, toolCalls: window.state.toolCalls)
        for input in window.state.queuedInputs {
            append(.user(text: input.text, inputId: input.id, queued: true), at: window.state.messages.last?.timestamp ?? Date())
        }
    }

    /// The conversation at a past point of an agent (a checkpoint preview).
    package init(state: AgentState) {
        self.init()
        appendHistory(state.messages, toolCalls: state.toolCalls)
    }

    /// True while messages older than the first one shown exist.
    package var hasOlder: Bool { firstMessage > 0 }

    /// The range of the next page of older messages, `size` long at most.
    package func olderRange(size: Int) -> Range<Int>? {
        guard firstMessage > 0 else { return nil }
        return max(0, firstMessage - size)..<firstMessage
    }

    /// Puts a page of older messages in front. Returns how many entries it added, so the
    /// caller can keep the scroll anchor on the same line.
    @discardableResult
    package mutating func prepend(_ page: TranscriptPage) -> Int {
        loadingOlder = false
        // A page that does not end where the shown messages begin is stale (a second request
        // answered first): ignore it rather than show a message twice.
        guard page.firstMessage + page.messages.count == firstMessage, !page.messages.isEmpty else { return 0 }
        var calls: [String: ToolCallRecord] = [:]
        for record in page.toolCalls { calls[record.id] = record }
        var older = ConversationModel()
        older.appendHistory(page.messages, toolCalls: calls)
        let shift = older.items.count
        var fresh = older.items
        for i in fresh.indices.reversed() {
            lowestId -= 1
            fresh[i].id = lowestId
        }
        items = fresh + items
        streamIndex = streamIndex.mapValues { $0 + shift }
        callIndex = callIndex.mapValues { $0 + shift }
        for (id, i) in older.callIndex where callIndex[id] == nil { callIndex[id] = i }
        firstMessage = page.firstMessage
        return shift
    }

    /// Entries for committed messages, each tool call drawn from its record (status, output
    /// preview, decision). Results travel in user messages: they complete a call's cell.
    mutating func appendHistory(_ messages: [Message], toolCalls: [String: ToolCallRecord]) {
        for m in messages {
            let t = m.timestamp
            switch m.role {
            case .user:
                let text = m.text
                if let reminder = m.reminderText {
                    append(Self.reminderNotice(reminder), at: t)
                } else if !text.isEmpty {
                    append(.user(text: text, inputId: m.id, queued: false), at: t)
                }
                for block in m.content {
                    guard case .toolResult(let id, let content, let isError) = block, let i = callIndex[id] else { continue }
                    updateCell(i) {
                        if $0.output.isEmpty { $0.output = String(content.prefix(ToolCallRecord.previewLimit)) }
                        if !$0.status.isFinal { $0.status = isError ? .error : .ok }
                    }
                }
            case .assistant:
                for block in m.content {
                    switch block {
                    // Thinking with no text (only redacted blocks, carried in the signature) has
                    // nothing to show, as it had nothing to stream.
                    case .thinking(let text, _) where !text.isEmpty: append(.thinking(text: text, streaming: false, expanded: false), at: t)
                    case .text(let text) where !text.isEmpty: append(.assistant(text: text, streaming: false), at: t)
                    case .toolUse(let id, let name, let input):
                        let i = cell(id, name: name, input: input, at: t)
                        if let record = toolCalls[id] { updateCell(i) { $0.show(record) } }
                    default: break
                    }
                }
            }
        }
    }
}

extension ToolCell {
    /// Takes what a stored record says about the call.
    mutating func show(_ r: ToolCallRecord) {
        status = ToolCellStatus(r.state, isError: r.isError)
        startedAt = r.startedAt
        durationMs = r.durationMs
        if let out = r.outputPreview { output = out }
        // Only decisions a live view hears of (`permission_decided`: a person, another
        // terminal, `kode approve`) are named; the policy's and hooks' own verdicts travel in no
        // event, so naming them here made a reopened transcript differ from the live one.
        if let d = r.decision, d.decidedBy != "policy", d.decidedBy != "hook" {
            let who = Sanitizer.oneLine(d.decidedBy)
            let note = d.note.map { ": " + Sanitizer.oneLine($0) } ?? ""
            self.note = d.decision == .allow ? "allowed \(d.scope.rawValue) by \(who)\(note)" : "denied by \(who)\(note)"
        }
    }
}
