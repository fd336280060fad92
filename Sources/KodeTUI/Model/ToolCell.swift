import Foundation
import KodeKernel

/// What a tool cell shows as its status glyph.
package enum ToolCellStatus: Sendable, Hashable {
    case pending, awaitingApproval, running, ok, error, denied, sealed

    /// The status for a record state.
    package init(_ state: ToolCallState, isError: Bool) {
        switch state {
        case .pending, .approved: self = .pending
        case .approvalRequired: self = .awaitingApproval
        case .executing: self = .running
        case .completed: self = isError ? .error : .ok
        case .failed: self = .error
        case .denied: self = .denied
        case .sealed: self = .sealed
        }
    }

    /// The glyph (Unicode or ASCII) and its role.
    package func glyph(unicode: Bool) -> (String, StyleRole) {
        switch self {
        case .pending: return (unicode ? "○" : "o", .dim)
        case .awaitingApproval: return (unicode ? "◆" : "?", .warning)
        case .running: return (unicode ? "◐" : "*", .accent)
        case .ok: return (unicode ? "✓" : "+", .success)
        case .error: return (unicode ? "✗" : "x", .error)
        case .denied: return (unicode ? "⊘" : "-", .error)
        case .sealed: return (unicode ? "■" : "#", .warning)
        }
    }

    /// A word for the status (shown after the duration).
    package var word: String {
        switch self {
        case .pending: return "pending"
        case .awaitingApproval: return "awaiting approval"
        case .running: return "running"
        case .ok: return "ok"
        case .error: return "error"
        case .denied: return "denied"
        case .sealed: return "sealed: stopped while running, side effects unknown"
        }
    }
}

/// One tool call as the conversation shows it.
package struct ToolCell: Sendable, Hashable {
    package var callId: String
    package var name: String
    /// A one-line summary of the input (`$ cmd`, a path, …), sanitized.
    package var summary: String
    package var status: ToolCellStatus
    package var startedAt: Date?
    package var durationMs: Double?
    /// The output preview, sanitized.
    package var output: String
    /// Who decided the call, and their note, to show under it.
    package var note: String?
    package var expanded = false
    /// The call's input as compact JSON (untrusted; sanitized when laid out): an expanded cell
    /// shows it. Kept as text because a value per cell costs several times more memory.
    package var inputJSON: String
    /// The input as a value, kept only for the tools whose collapsed cell reads it (writes,
    /// edits, todo lists).
    package var input: JSONValue?
    /// For a write or edit: the file as it was when the call was asked for, once read.
    package var base: BaseFile?
    /// For a write or edit: the diff it makes (against `base` once known, else from the input alone).
    package var diff: FileDiff?

    /// A cell for a call that was just recorded.
    package init(callId: String, name: String, input: JSONValue, status: ToolCellStatus = .pending) {
        self.callId = callId
        self.name = Sanitizer.oneLine(name)
        self.summary = InputSummary.oneLine(tool: name, input: input)
        self.status = status
        self.output = ""
        self.inputJSON = input.compactText
        self.input = EditPreview.tools.contains(name) || name == "todo_write" ? input : nil
        self.diff = EditPreview.tools.contains(name) ? EditPreview.diff(tool: name, input: input, base: nil) : nil
    }

    /// Takes the file as it was before the call: the diff gets its line numbers and context.
    package mutating func setBase(_ base: BaseFile) {
        guard let input, EditPreview.tools.contains(name), self.base == nil else { return }
        self.base = base
        diff = EditPreview.diff(tool: name, input: input, base: base)
    }
}
