import KodeKernel

// Typed reads of the schema's keys. The schema has checked each type, so a value of another type
// cannot reach here; the fallbacks only keep the accessors total.
extension Configuration {
    /// `[app] on_hangup`: "detach" or "stop".
    public var onHangup: ConfigEntry { self["app", "on_hangup"]! }

    /// `[app] theme`.
    public var theme: ConfigEntry { self["app", "theme"]! }

    /// A string key of `[agent]`, when set.
    public func agentString(_ key: String) -> String? { self["agent", key]?.value.string }

    /// `[permissions] mode`.
    public var permissionMode: PermissionMode {
        self["permissions", "mode"]?.value.string.flatMap(PermissionMode.init(rawValue:)) ?? .approval
    }

    /// `[agent] max_steps`.
    public var maxSteps: Int { self["agent", "max_steps"]?.value.integer ?? 100 }

    /// `[sandbox]` as a new agent's sandbox (the CLI's flags then override it).
    public var sandbox: SandboxConfig {
        var config = SandboxConfig()
        config.mode = self["sandbox", "mode"]?.value.string.flatMap(SandboxMode.init(rawValue:)) ?? .workspaceWrite
        config.network = self["sandbox", "network"]?.value.bool ?? false
        config.writablePaths = self["sandbox", "writable_paths"]?.value.strings ?? []
        config.requireConfinement = self["sandbox", "require_confinement"]?.value.bool ?? false
        config.simulateUnavailable = self["sandbox", "simulate_unavailable"]?.value.bool ?? false
        return config
    }
}
