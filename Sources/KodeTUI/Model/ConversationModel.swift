import Foundation
import KodeKernel

/// The conversation as the pane shows it: built from a window of the agent's state (the newest
/// messages, see `ConversationModel+State`), then a fold over the live event envelopes, so a
/// live agent, a reopened one and a test feeding synthetic envelopes are drawn the same way.
package struct ConversationModel: Sendable {
    package internal(set) var items: [ConversationItem] = []
    /// The next id for an entry appended at the end; entries paged in at the top count down
    /// from `lowestId`, so ids stay unique and the wrap cache stays valid.
    var nextId = 0
    var lowestId = 0
    var streamIndex: [String: Int] = [:]
    var callIndex: [String: Int] = [:]
    /// The index in the whole conversation of the oldest message shown: older ones are paged
    /// in with `prepend(_:)` when the person scrolls back that far.
    package internal(set) var firstMessage = 0
    /// A page of older messages is on its way (the pane says "loading earlier messages…").
    package var loadingOlder = false

    /// An empty conversation.
    package init() {}

    /// The number of entries.
    package var count: Int { items.count }

    // MARK: live events

    /// Folds one live event in.
    package mutating func apply(_ envelope: EventEnvelope) {
        let t = envelope.timestamp
        switch envelope.event {
        case .thinkChunkStart(let b):
            streamIndex["k" + b.messageId] = append(.thinking(text: "", streaming: true, expanded: false), at: t)
        case .thinkChunk(let d):
            let i = streamIndex["k" + d.messageId] ?? append(.thinking(text: "", streaming: true, expanded: false), at: t)
            streamIndex["k" + d.messageId] = i
            update(i) {
                guard case .thinking(var text, _, let e) = $0 else { return }
                $0 = .notice(text: "", role: .text)  // drop the second reference so the append is in place
                text += d.delta
                $0 = .thinking(text: text, streaming: true, expanded: e)
            }
        case .thinkChunkEnd(let b):
            if let i = streamIndex.removeValue(forKey: "k" + b.messageId) {
                update(i) { if case .thinking(let text, _, let e) = $0 { $0 = .thinking(text: text, streaming: false, expanded: e) } }
            }
        case .textChunkStart(let b):
            streamIndex["t" + b.messageId] = append(.assistant(text: "", streaming: true), at: t)
        case .textChunk(let d):
            let i = streamIndex["t" + d.messageId] ?? append(.assistant(text: "", streaming: true), at: t)
            streamIndex["t" + d.messageId] = i
            update(i) {
                guard case .assistant(var text, _) = $0 else { return }
                $0 = .notice(text: "", role: .text)  // drop the second reference so the append is in place
                text += d.delta
                $0 = .assistant(text: text, streaming: true)
            }
        case .textChunkEnd(let b):
            if let i = streamIndex.removeValue(forKey: "t" + b.messageId) {
                update(i) { if case .assistant(let text, _) = $0 { $0 = .assistant(text: text, streaming: false) } }
            }
        case .permissionRequired(let e):
            // A sub-agent's request, relayed: the call is the child's, in the child's transcript
            // (the modal and the Monitor name it); a cell here would never see its end.
            guard e.agentId == nil else { break }
            let i = cell(e.callId, name: e.call.name, input: e.call.input, at: t)
            updateCell(i) { $0.status = .awaitingApproval }
        case .permissionDecided(let e):
            guard let i = callIndex[e.callId] else { break }
            let who = Sanitizer.oneLine(e.decidedBy)
            let scope = switch e.scope { case .once: "once"; case .always: "always"; case .project: "always, project" }
            let note = e.note.map { ": " + Sanitizer.oneLine($0) } ?? ""
            updateCell(i) {
                switch e.decision {
                case .allow:
                    $0.status = .pending
                    $0.note = "allowed \(scope) by \(who)\(note)"
                case .deny:
                    $0.status = .denied
                    $0.note = "denied by \(who)\(note)"
                }
            }
        case .toolStart(let e):
            let i = cell(e.callId, name: e.name, input: e.input, at: t)
            updateCell(i) {
                $0.status = .running
                $0.startedAt = t
            }
        case .toolEnd(let e):
            let i = cell(e.callId, name: e.name, input: .object([:]), at: t)
            updateCell(i) {
                $0.status = ToolCellStatus(e.state, isError: e.isError)
                $0.durationMs = e.durationMs
                $0.output = e.outputPreview
            }
        case .toolError:
            // The error is the call's output, which its `tool:end` brings; taking it as the note
            // too showed it twice and hid the decision note (a reopened transcript had both).
            break
        case .done(let e):
            closeStreams()
            markTaken(e.inputIds)
            switch e.reason {
            case .completed: break
            case .interrupted: append(.notice(text: "interrupted — Ctrl+R continues the turn", role: .warning), at: t)
            case .stepLimit: append(.notice(text: "stopped: the step limit was reached", role: .warning), at: t)
            case .failed: append(.notice(text: "the turn failed (see the monitor)", role: .error), at: t)
            }
        case .error(let e) where e.severity == .error || e.severity == .fatal:
            append(.notice(text: "\(e.phase.rawValue) error: " + e.message, role: .error), at: t)
        case .agentResumed(let e):
            var parts = ["resumed at \(e.breakpoint.rawValue)"]
            if !e.sealedCalls.isEmpty { parts.append("sealed \(e.sealedCalls.count) call(s) that were running") }
            if e.discardedPartialBytes > 0 { parts.append("discarded a partial reply of \(e.discardedPartialBytes) bytes") }
            if !e.pendingApprovals.isEmpty { parts.append("\(e.pendingApprovals.count) approval(s) pending") }
            if e.turnInterrupted { parts.append("Ctrl+R continues the interrupted turn") }
            append(.notice(text: parts.joined(separator: "; "), role: .hint), at: t)
        case .reminderSent(let e):
            // Live, where the reminder goes to the model (before the reply); an opened agent
            // shows the same line from the recorded message (`appendHistory`).
            append(Self.reminderNotice(e.text), at: t)
        case .stateChanged(let e) where e.to == .working:
            markAllTaken()
        default:
            break
        }
    }

    /// The runtime's note to the model, not the user's words: one dim line (the Monitor has the
    /// reminder itself).
    static func reminderNotice(_ reminder: String) -> ConversationItem.Kind {
        let first = reminder.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        return .notice(text: "reminder to the model: " + first, role: .hint)
    }

    // MARK: local edits

    /// Adds a person's input as the app sends it; `queued` while the agent is busy.
    package mutating func addUser(_ text: String, inputId: String?, queued: Bool, at time: Date) {
        append(.user(text: text, inputId: inputId, queued: queued), at: time)
    }

    /// Records the id `send` returned for the newest input without one.
    package mutating func assignInputId(_ id: String, toText text: String) {
        if let i = items.lastIndex(where: { if case .user(let t, nil, _) = $0.kind { return t == text } else { return false } }) {
            update(i) { if case .user(let t, _, let q) = $0 { $0 = .user(text: t, inputId: id, queued: q) } }
        }
    }

    /// Adds a runtime notice.
    package mutating func addNotice(_ text: String, role: StyleRole, at time: Date) {
        append(.notice(text: text, role: role), at: time)
    }

    /// The file a write or edit changes, read when its approval was asked for.
    package mutating func setBase(_ base: BaseFile, forCall callId: String) {
        guard let i = callIndex[callId] else { return }
        updateCell(i) { $0.setBase(base) }
    }

    /// The cell of a call, if shown.
    package func toolCell(_ callId: String) -> ToolCell? {
        guard let i = callIndex[callId], case .tool(let c) = items[i].kind else { return nil }
        return c
    }

    /// The entry of a call's cell: its id and version (what a layout of the cell is keyed by)
    /// and whether the file of a write or edit has been read.
    package func toolCellEntry(_ callId: String) -> (id: Int, version: Int, base: BaseFile?)? {
        guard let i = callIndex[callId], case .tool(let c) = items[i].kind else { return nil }
        return (items[i].id, items[i].version, c.base)
    }

    /// Expands or collapses an expandable entry.
    package mutating func toggleExpanded(_ index: Int) {
        guard items.indices.contains(index) else { return }
        update(index) {
            switch $0 {
            case .thinking(let t, let s, let e): $0 = .thinking(text: t, streaming: s, expanded: !e)
            case .tool(var c):
                c.expanded.toggle()
                $0 = .tool(c)
            default: break
            }
        }
    }

    // MARK: helpers

    @discardableResult
    mutating func append(_ kind: ConversationItem.Kind, at time: Date) -> Int {
        items.append(ConversationItem(id: nextId, kind: kind, timestamp: time))
        nextId += 1
        return items.count - 1
    }

    mutating func update(_ index: Int, _ change: (inout ConversationItem.Kind) -> Void) {
        change(&items[index].kind)
        items[index].version &+= 1
    }

    mutating func cell(_ callId: String, name: String, input: JSONValue, at time: Date) -> Int {
        if let i = callIndex[callId] { return i }
        let i = append(.tool(ToolCell(callId: callId, name: name, input: input)), at: time)
        callIndex[callId] = i
        return i
    }

    mutating func updateCell(_ index: Int, _ change: (inout ToolCell) -> Void) {
        update(index) {
            if case .tool(var c) = $0 {
                change(&c)
                $0 = .tool(c)
            }
        }
    }

    private mutating func closeStreams() {
        for (_, i) in streamIndex {
            update(i) {
                switch $0 {
                case .assistant(let t, _): $0 = .assistant(text: t, streaming: false)
                case .thinking(let t, _, let e): $0 = .thinking(text: t, streaming: false, expanded: e)
                default: break
                }
            }
        }
        streamIndex.removeAll()
    }

    private mutating func markTaken(_ ids: [String]) {
        guard !ids.isEmpty else { return }
        let set = Set(ids)
        for i in items.indices {
            if case .user(let t, let id?, true) = items[i].kind, set.contains(id) {
                update(i) { $0 = .user(text: t, inputId: id, queued: false) }
            }
        }
    }

    private mutating func markAllTaken() {
        for i in items.indices.reversed() {
            if case .user(let t, let id, true) = items[i].kind {
                update(i) { $0 = .user(text: t, inputId: id, queued: false) }
            }
        }
    }
}

extension ToolCellStatus {
    /// True once the call has its result.
    package var isFinal: Bool {
        switch self {
        case .ok, .error, .denied, .sealed: return true
        default: return false
        }
    }
}
