/// The three event channels (DESIGN §3).
public enum EventChannel: String, Sendable, Hashable, Codable, CaseIterable {
    /// Data plane for the UI: streamed text and thinking, tool starts and ends, `done`.
    case progress
    /// Decisions: approvals asked and answered.
    case control
    /// Governance: state, breakpoints, audit, errors, usage, todos, files, resumes, checkpoints.
    case monitor
}
