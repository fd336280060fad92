import Foundation

/// The agent's default stance on tool calls (DESIGN §5).
public enum PermissionMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Everything runs unless a rule says otherwise.
    case auto
    /// Read-only tools run; `fs_write`, `fs_edit`, `bash_run` and other writers ask.
    case approval
    /// Only read-only tools run; everything else is denied.
    case readonly
}

/// The configured permission policy: a mode and three pattern lists.
/// Precedence: deny > allow > requireApproval > mode.
public struct PermissionPolicy: Sendable, Hashable, Codable {
    public var mode: PermissionMode
    /// Patterns such as `fs_read`, `bash_run(git status*)`, `fs_write(src/**)`.
    public var allow: [String]
    public var deny: [String]
    public var requireApproval: [String]

    public init(mode: PermissionMode = .approval, allow: [String] = [], deny: [String] = [], requireApproval: [String] = []) {
        self.mode = mode
        self.allow = allow
        self.deny = deny
        self.requireApproval = requireApproval
    }
}

/// An "always" decision turned into a rule scoped to one agent; stored in its log, revocable.
public struct PermissionRule: Sendable, Hashable, Codable {
    public var id: String
    /// A pattern in the same syntax as the policy lists.
    public var pattern: String
    public var decision: DecisionKind
    public var grantedBy: String
    public var note: String?
    public var createdAt: Date

    /// A new random rule id (`rule_` and 8 characters).
    public static func newID() -> String { "rule_" + ShortID.make(length: 8) }

    public init(id: String = PermissionRule.newID(), pattern: String, decision: DecisionKind, grantedBy: String, note: String? = nil, createdAt: Date = Date()) {
        self.id = id
        self.pattern = pattern
        self.decision = decision
        self.grantedBy = grantedBy
        self.note = note
        self.createdAt = createdAt
    }
}

/// What the policy says about one call.
public enum PermissionVerdict: Sendable, Hashable {
    case allow(reason: String)
    case deny(reason: String)
    case ask(reason: String)
}
