import KodeKernel

/// The answers the approval modal offers besides "deny with a note": a key command, the
/// decision and how far it reaches (`DecisionScope`: `once`; `always`, a rule for this agent;
/// `project`, a rule written into the project's `.kode/config.toml`).
package struct ApprovalChoice: Sendable, Hashable {
    package var command: Command
    package var decision: DecisionKind
    package var scope: DecisionScope

    package static let all: [ApprovalChoice] = [
        ApprovalChoice(command: .approve, decision: .allow, scope: .once),
        ApprovalChoice(command: .approveAlways, decision: .allow, scope: .always),
        ApprovalChoice(command: .denyAlways, decision: .deny, scope: .always),
        ApprovalChoice(command: .approveProject, decision: .allow, scope: .project),
        ApprovalChoice(command: .denyProject, decision: .deny, scope: .project),
    ]

    package static func of(_ command: Command) -> ApprovalChoice? { all.first { $0.command == command } }
}
