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
    /// Where the mode and each pattern came from (`~/.config/kode/config.toml:12`, `template
    /// review`, `--permission`), for `kode rules`; empty for a policy built in code.
    public var origins: [PolicyOrigin]

    public init(mode: PermissionMode = .approval, allow: [String] = [], deny: [String] = [], requireApproval: [String] = [], origins: [PolicyOrigin] = []) {
        self.mode = mode
        self.allow = allow
        self.deny = deny
        self.requireApproval = requireApproval
        self.origins = origins
    }

    /// Where `pattern` of `list` came from, when recorded.
    public func origin(of pattern: String, in list: PolicyOrigin.List) -> String? {
        origins.first { $0.list == list && $0.pattern == pattern }?.source
    }

    private enum CodingKeys: String, CodingKey { case mode, allow, deny, requireApproval, origins }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            mode: try c.decode(PermissionMode.self, forKey: .mode),
            allow: try c.decodeIfPresent([String].self, forKey: .allow) ?? [],
            deny: try c.decodeIfPresent([String].self, forKey: .deny) ?? [],
            requireApproval: try c.decodeIfPresent([String].self, forKey: .requireApproval) ?? [],
            origins: try c.decodeIfPresent([PolicyOrigin].self, forKey: .origins) ?? [])
    }
}

/// Where one setting of a ``PermissionPolicy`` came from.
public struct PolicyOrigin: Sendable, Hashable, Codable {
    /// Which part of the policy.
    public enum List: String, Sendable, Hashable, Codable {
        case mode, allow, deny
        case requireApproval = "require_approval"
    }

    public var list: List
    /// The pattern (for `mode`, the mode's name).
    public var pattern: String
    /// `path:line`, `template NAME (path:line)`, `--permission` or `default`.
    public var source: String

    public init(list: List, pattern: String, source: String) {
        self.list = list
        self.pattern = pattern
        self.source = source
    }
}

/// An "always" decision turned into a rule; stored in the agent's log, revocable. A rule of
/// scope `project` is also written to the project's config file.
public struct PermissionRule: Sendable, Hashable, Codable {
    public var id: String
    /// A pattern in the same syntax as the policy lists.
    public var pattern: String
    public var decision: DecisionKind
    public var grantedBy: String
    public var note: String?
    public var createdAt: Date
    /// Whom the person granted it for.
    public var scope: RuleScope

    /// A new random rule id (`rule_` and 8 characters).
    public static func newID() -> String { "rule_" + ShortID.make(length: 8) }

    public init(id: String = PermissionRule.newID(), pattern: String, decision: DecisionKind, grantedBy: String, note: String? = nil,
                createdAt: Date = Date(), scope: RuleScope = .agent) {
        self.id = id
        self.pattern = pattern
        self.decision = decision
        self.grantedBy = grantedBy
        self.note = note
        self.createdAt = createdAt
        self.scope = scope
    }

    private enum CodingKeys: String, CodingKey { case id, pattern, decision, grantedBy, note, createdAt, scope }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(String.self, forKey: .id), pattern: try c.decode(String.self, forKey: .pattern),
            decision: try c.decode(DecisionKind.self, forKey: .decision), grantedBy: try c.decode(String.self, forKey: .grantedBy),
            note: try c.decodeIfPresent(String.self, forKey: .note), createdAt: try c.decode(Date.self, forKey: .createdAt),
            scope: try c.decodeIfPresent(RuleScope.self, forKey: .scope) ?? .agent)
    }
}

/// Whom an "always" rule was granted for.
public enum RuleScope: String, Sendable, Hashable, Codable {
    /// This agent only.
    case agent
    /// Every agent of the project: also written to `.kode/config.toml`.
    case project
}

/// Writes "always for this project" rules into the project's configuration, where every new
/// agent of the project reads them (`[permissions] allow` / `deny` of `.kode/config.toml`). The
/// kernel does not read TOML itself, so the embedding program supplies this (Kode's CLI and host
/// use `ProjectRuleFile` from KodeConfig).
public protocol ProjectRuleWriter: Sendable {
    /// Adds `pattern` to the `decision` list of the project in `workDir`; returns where it is now
    /// written (`/path/.kode/config.toml:7`). Adding a pattern already there changes nothing.
    func add(pattern: String, decision: DecisionKind, workDir: String) throws -> String
    /// Removes `pattern` from that list; returns whether it was there.
    func remove(pattern: String, decision: DecisionKind, workDir: String) throws -> Bool
}

/// What the policy says about one call.
public enum PermissionVerdict: Sendable, Hashable {
    case allow(reason: String)
    case deny(reason: String)
    case ask(reason: String)
}
