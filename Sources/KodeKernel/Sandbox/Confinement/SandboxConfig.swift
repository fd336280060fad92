/// How an agent's commands are confined: stored in its manifest with the rest of `AgentConfig`.
///
/// Decoding is lenient: a missing key takes its default, so manifests written before the sandbox
/// existed open in `workspace-write` with the network off.
public struct SandboxConfig: Sendable, Hashable, Codable {
    /// What commands may write.
    public var mode: SandboxMode
    /// Whether commands may use the network. Off by default; ignored in `full`.
    public var network: Bool
    /// Further directories (or files) commands may write beneath in `workspace-write`, besides
    /// the working directory and the agent's allowed paths (for example `~/.cache/go-build`).
    public var writablePaths: [String]
    /// Refuse to run commands when the operating system cannot enforce `mode`, instead of
    /// running them unconfined with a warning.
    public var requireConfinement: Bool
    /// Behave as if the kernel had no Landlock: for tests, and to see what an unconfined machine does.
    public var simulateUnavailable: Bool
    /// The `kode-confine` launcher to use; nil looks at `$KODE_CONFINE`, then beside the running executable.
    public var launcherPath: String?

    /// The default: `workspace-write`, network off, confinement preferred but not required.
    public init(
        mode: SandboxMode = .workspaceWrite, network: Bool = false, writablePaths: [String] = [],
        requireConfinement: Bool = false, simulateUnavailable: Bool = false, launcherPath: String? = nil
    ) {
        self.mode = mode
        self.network = network
        self.writablePaths = writablePaths
        self.requireConfinement = requireConfinement
        self.simulateUnavailable = simulateUnavailable
        self.launcherPath = launcherPath
    }

    private enum CodingKeys: String, CodingKey {
        case mode, network, writablePaths, requireConfinement, simulateUnavailable, launcherPath
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            mode: try c.decodeIfPresent(SandboxMode.self, forKey: .mode) ?? .workspaceWrite,
            network: try c.decodeIfPresent(Bool.self, forKey: .network) ?? false,
            writablePaths: try c.decodeIfPresent([String].self, forKey: .writablePaths) ?? [],
            requireConfinement: try c.decodeIfPresent(Bool.self, forKey: .requireConfinement) ?? false,
            simulateUnavailable: try c.decodeIfPresent(Bool.self, forKey: .simulateUnavailable) ?? false,
            launcherPath: try c.decodeIfPresent(String.self, forKey: .launcherPath))
    }
}
