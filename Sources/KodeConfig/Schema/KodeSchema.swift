extension ConfigSchema {
    /// Kode's `config.toml`: every setting, its type and default (docs/CONFIG.md lists them).
    public static let kode = ConfigSchema(tables: [
        ConfigTableSpec("app", keys: [
            ConfigKeySpec("on_hangup", .choice(["detach", "stop"]), default: .string("detach"),
                          help: "when the app's terminal hangs up: hand the agent to a host, or stop it"),
            ConfigKeySpec("theme", .string, default: .string("dark"),
                          help: "theme name (dark, light, mono, or themes/NAME.toml) or a .toml path"),
        ]),
        ConfigTableSpec("agent", keys: [
            ConfigKeySpec("provider", .string,
                          help: "provider for new agents (default: the first vendor with a key, else demo)"),
            ConfigKeySpec("model", .string, help: "model for new agents (default depends on the provider)"),
            ConfigKeySpec("base_url", .string, help: "API base URL for the provider"),
            ConfigKeySpec("permission_mode", .choice(["auto", "approval", "readonly"]), default: .string("approval"),
                          help: "permission mode for new agents"),
            ConfigKeySpec("max_steps", .integer(minimum: 1), default: .integer(100), help: "most model calls in one turn"),
            ConfigKeySpec("system_prompt", .string, help: "system prompt for new agents"),
        ]),
        ConfigTableSpec("sandbox", keys: [
            ConfigKeySpec("mode", .choice(["read-only", "workspace-write", "full"]), default: .string("workspace-write"),
                          help: "what a new agent's commands may write"),
            ConfigKeySpec("network", .bool, default: .bool(false), help: "whether commands may use the network"),
            ConfigKeySpec("writable_paths", .strings, default: .array([]),
                          help: "more paths commands may write (workspace-write)"),
            ConfigKeySpec("require_confinement", .bool, default: .bool(false),
                          help: "refuse commands where the sandbox cannot be enforced"),
        ]),
        ConfigTableSpec("notifications", keys: [
            ConfigKeySpec("approval", .bool, default: .bool(true), help: "notify when an agent asks for an approval"),
            ConfigKeySpec("turn_end", .bool, default: .bool(false), help: "notify when a turn ends"),
            ConfigKeySpec("bell", .bool, default: .bool(true), help: "ring the terminal bell when notifying"),
            ConfigKeySpec("desktop", .choice(["osc9", "osc777", "off"]), default: .string("osc9"),
                          help: "desktop notification escape: OSC 9, OSC 777 (VTE, urxvt) or none"),
        ]),
        ConfigTableSpec("keys", anyKey: .stringOrStrings),
    ])
}
