import Foundation
import KodeKernel

/// What a tool cell shows as its status glyph.
public enum ToolCellStatus: Sendable, Hashable {
    case pending, awaitingApproval, running, ok, error, denied, sealed

    /// The status for a record state.
    public init(_ state: ToolCallState, isError: Bool) {
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
    public func glyph(unicode: Bool) -> (String, StyleRole) {
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
    public var word: String {
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
public struct ToolCell: Sendable, Hashable {
    public var callId: String
    public var name: String
    /// A one-line summary of the input (`$ cmd`, a path, …), sanitized.
    public var summary: String
    /// The full input, pretty-printed, sanitized.
    public var fullInput: String
    public var status: ToolCellStatus
    public var startedAt: Date?
    public var durationMs: Double?
    /// The output preview, sanitized.
    public var output: String
    /// A decision note or error message to show under the call.
    public var note: String?
    public var expanded = false

    /// A cell for a call that was just recorded.
    public init(callId: String, name: String, input: JSONValue, status: ToolCellStatus = .pending) {
        self.callId = callId
        self.name = Sanitizer.oneLine(name)
        self.summary = InputSummary.oneLine(tool: name, input: input)
        self.fullInput = InputSummary.full(input)
        self.status = status
        self.output = ""
    }
}
