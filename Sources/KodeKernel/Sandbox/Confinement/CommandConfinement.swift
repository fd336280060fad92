/// How a sandbox's commands actually run: what the status line, `kode agents` and the Monitor
/// warning at start show.
public enum CommandConfinement: Sendable, Hashable, Codable {
    /// Enforced by the operating system; `network` says whether commands may use the network.
    case confined(mode: SandboxMode, network: Bool)
    /// Mode `full`: commands run with every right of the user, as configured.
    case full
    /// Confined by Landlock, but no mount namespace can be made, so the store stays writable and
    /// the host's socket reachable (`reason` says which); commands run, and the start warns.
    case partlyConfined(mode: SandboxMode, network: Bool, reason: String)
    /// The mode promises confinement the machine cannot enforce; commands run anyway, unconfined.
    case unconfined(mode: SandboxMode, reason: String)
    /// The mode promises confinement the machine cannot enforce and the configuration requires
    /// it: commands are refused.
    case refused(mode: SandboxMode, reason: String)
    /// A sandbox other than `LocalSandbox`, which confines (or not) in its own way.
    case external

    /// What a `LocalSandbox` with `config` gets on this machine, given what it can enforce;
    /// `needsMounts` when it has a store to protect and a host directory to hide.
    public static func expected(for config: SandboxConfig, support: ConfinementSupport, needsMounts: Bool = false) -> CommandConfinement {
        if config.mode == .full { return .full }
        if let problem = support.problem {
            return config.requireConfinement ? .refused(mode: config.mode, reason: problem) : .unconfined(mode: config.mode, reason: problem)
        }
        guard needsMounts, !support.mountNamespace else { return .confined(mode: config.mode, network: config.network) }
        let problem = "no mount namespace can be made (user namespaces are off or not allowed), so the agent store stays writable by commands and the host's socket reachable"
        return config.requireConfinement ? .refused(mode: config.mode, reason: problem) : .partlyConfined(mode: config.mode, network: config.network, reason: problem)
    }

    /// A few words for a status line: `workspace-write`, `read-only +net`, `full`, `unconfined`.
    public var label: String {
        switch self {
        case .confined(let mode, let network): return mode.rawValue + (network ? " +net" : "")
        case .partlyConfined(let mode, let network, _): return mode.rawValue + (network ? " +net" : "") + " (store exposed)"
        case .full: return "full"
        case .unconfined: return "unconfined"
        case .refused: return "no commands"
        case .external: return "external"
        }
    }

    /// The warning to show at start, when commands are not confined as the mode promises.
    public var warning: String? {
        switch self {
        case .unconfined(let mode, let reason):
            return "commands run UNCONFINED although the sandbox mode is \(mode.rawValue): \(reason)"
        case .partlyConfined(let mode, _, let reason):
            return "commands are only partly confined in the sandbox mode \(mode.rawValue): \(reason)"
        case .refused(let mode, let reason):
            return "commands are refused: the sandbox mode \(mode.rawValue) cannot be enforced (\(reason)) and confinement is required"
        case .confined, .full, .external:
            return nil
        }
    }
}

/// More rights for one `bash_run` call than the sandbox gives, asked for by the model with a
/// reason; such a call always needs a person's approval.
public enum SandboxWidening: String, Sendable, Hashable, Codable, CaseIterable {
    /// The configured mode, with the network on.
    case network
    /// No confinement at all.
    case full
}
