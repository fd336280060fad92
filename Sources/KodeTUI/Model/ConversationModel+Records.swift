import Foundation
import KodeKernel

// The fold over stored log records that opening an agent used before views were built from
// its state. The app no longer calls it: it stays only as the reference the equivalence test
// and the open benchmark's baseline compare the state-built view against.
extension ConversationModel {
    /// Folds a stored record in. Streaming chunks are skipped: the committed messages carry
    /// the same text.
    package mutating func apply(record: LogRecord, agentId: AgentID) {
        switch record.body {
        case .message(let m):
            applyRecordedMessage(m)
        case .toolCall(let r):
            let i = cell(r.id, name: r.name, input: r.input, at: r.createdAt)
            updateCell(i) { $0.show(r) }
        case .inputQueued(let q):
            append(.user(text: q.text, inputId: q.id, queued: true), at: record.timestamp)
        case .compaction, .workspaceSnapshot, .rewind, .conversationRewound:
            return
        case .event(let event):
            switch event.type {
            // A reminder's line comes from its recorded message.
            case .thinkChunkStart, .thinkChunk, .thinkChunkEnd, .textChunkStart, .textChunk, .textChunkEnd, .reminderSent:
                return
            default:
                if let env = record.envelope(agentId: agentId) { apply(env) }
            }
        }
    }

    private mutating func applyRecordedMessage(_ m: Message) {
        // A user message is the input queued under the same id: that entry becomes the
        // committed one. (Matching by text among entries still marked queued, as this fold once
        // did, showed the input twice: `state_changed` to WORKING marks it taken first.)
        if m.role == .user, !m.text.isEmpty,
           let i = items.lastIndex(where: { if case .user(_, m.id?, _) = $0.kind { return true } else { return false } }) {
            update(i) { if case .user(let q, let id, _) = $0 { $0 = .user(text: q, inputId: id, queued: false) } }
            var rest = m
            rest.content = m.content.filter { if case .text = $0 { return false } else { return true } }
            appendHistory([rest], toolCalls: [:])
            return
        }
        appendHistory([m], toolCalls: [:])
    }
}
