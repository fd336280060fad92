import Foundation
import KodeKernel

/// What a client asks of an agent through the command inbox (docs/POSTGRES.md, "The command
/// inbox"): a durable row that whichever worker owns the agent applies, in order.
public enum AgentCommand: Sendable, Hashable, Codable {
    /// Queue input.
    case send(text: String)
    /// Answer a pending approval.
    case decide(callId: String, decision: DecisionKind, note: String?, scope: DecisionScope, by: String)
    /// Stop the running turn.
    case interrupt
    /// Continue an interrupted turn.
    case continueTurn
    /// Fork a child at a safe fork point.
    case fork(at: String)
    /// Label a safe fork point (`at` nil: the newest).
    case label(String?, at: String?)
    /// Give the agent a title (empty: remove it).
    case rename(title: String, by: String)
    /// Add a scheduler trigger.
    case addTrigger(TriggerSpec, by: String)
    /// Remove a scheduler trigger by id or name.
    case removeTrigger(String, by: String)

    /// The `kind` column: what the command is, for people reading the table.
    public var kind: String {
        switch self {
        case .send: "send"
        case .decide: "decide"
        case .interrupt: "interrupt"
        case .continueTurn: "continue"
        case .fork: "fork"
        case .label: "label"
        case .rename: "rename"
        case .addTrigger: "schedule"
        case .removeTrigger: "unschedule"
        }
    }
}

/// What became of a command once its owner applied it.
public struct CommandOutcome: Sendable, Hashable {
    /// The command's id (the inbox row).
    public var id: Int64
    /// False until an owner applied it.
    public var applied: Bool
    /// The owner refused it (the text says why).
    public var failed: Bool
    /// The result (an input id, a child id, a checkpoint as JSON) or the error text.
    public var text: String?
}
