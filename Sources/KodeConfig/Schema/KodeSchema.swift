extension ConfigSchema {
    /// Kode's `config.toml`: every setting, its type and default (docs/CONFIG.md lists them).
    public static let kode = ConfigSchema(tables: [
        ConfigTableSpec("app", keys: [
            ConfigKeySpec("on_hangup", .choice(["detach", "stop"]), default: .string("detach"),
                          help: "when the app's terminal hangs up: hand the agent to a host, or stop it"),
            ConfigKeySpec("theme", .string, default: .string("dark"),
                          help: "theme name (dark, light, mono, or themes/NAME.toml) or a .toml path"),
            ConfigKeySpec("mouse", .bool, default: .bool(false),
                          help: "the app takes the mouse: wheel scrolling, click to focus (terminal selection then needs Shift)"),
        ]),
        ConfigTableSpec("agent", keys: KodeKeys.agent(defaults: true) + [
            ConfigKeySpec("subagent_max_depth", .integer(minimum: 0), default: .integer(2),
                          help: "how deep task_run sub-agents may nest (0: no sub-agents)"),
        ],
                        moved: ["permission_mode": "'mode' in [permissions]"]),
        ConfigTableSpec("permissions", keys: KodeKeys.permissions(defaults: true)),
        ConfigTableSpec("sandbox", keys: KodeKeys.sandbox(defaults: true)),
        ConfigTableSpec("models", named: ConfigTableSpec("model", keys: KodeKeys.thinking(defaults: false))),
        ConfigTableSpec("templates", named: ConfigTableSpec(
            "template",
            keys: [ConfigKeySpec("description", .string, help: "one line shown in error messages listing the templates")]
                + KodeKeys.agent(defaults: false),
            subtables: [
                ConfigTableSpec("permissions", keys: KodeKeys.permissions(defaults: false)),
                ConfigTableSpec("sandbox", keys: KodeKeys.sandbox(defaults: false)),
            ])),
        ConfigTableSpec("notifications", keys: [
            ConfigKeySpec("approval", .bool, default: .bool(true), help: "notify when an agent asks for an approval"),
            ConfigKeySpec("turn_end", .bool, default: .bool(false), help: "notify when a turn ends"),
            ConfigKeySpec("bell", .bool, default: .bool(true), help: "ring the terminal bell when notifying"),
            ConfigKeySpec("desktop", .choice(["osc9", "osc777", "off"]), default: .string("osc9"),
                          help: "desktop notification escape: OSC 9, OSC 777 (VTE, urxvt) or none"),
        ]),
        ConfigTableSpec("mcp_servers", named: ConfigTableSpec(
            "server",
            keys: [
                ConfigKeySpec("command", .string, help: "program of a stdio server, looked up on PATH (set this or url)"),
                ConfigKeySpec("args", .strings, help: "its arguments"),
                ConfigKeySpec("url", .string, help: "endpoint of a streamable HTTP server (set this or command)"),
                ConfigKeySpec("include_tools", .strings, help: "only these of its tools are offered (default: all)"),
                ConfigKeySpec("exclude_tools", .strings, help: "these of its tools are never offered"),
                ConfigKeySpec("startup_timeout_sec", .integer(minimum: 1), help: "how long starting it and listing its tools may take (default 20)"),
                ConfigKeySpec("tool_timeout_sec", .integer(minimum: 1), help: "how long one call may take before it is restarted (default 60)"),
                ConfigKeySpec("enabled", .bool, help: "false keeps the server configured but unused"),
            ],
            subtables: [ConfigTableSpec("env", anyKey: .string)])),
        ConfigTableSpec("keys", anyKey: .stringOrStrings),
        ConfigTableSpec("workspace", keys: [
            ConfigKeySpec("fork_mode", .choice(["copy", "shared", "worktree"]), default: .string("copy"),
                          help: "work directory of a forked agent: a copy of the checkpoint's files, the parent's, or a git worktree"),
            ConfigKeySpec("max_file_size_mb", .integer(minimum: 1), default: .integer(50),
                          help: "files larger than this are not captured by workspace snapshots"),
            ConfigKeySpec("exclude", .strings, default: .array([]),
                          help: "globs (.gitignore syntax) workspace snapshots never capture"),
            ConfigKeySpec("include", .strings, default: .array([]),
                          help: "globs captured even when a .gitignore ignores them"),
        ]),
        ConfigTableSpec("context", keys: [
            ConfigKeySpec("compaction", .bool, default: .bool(true),
                          help: "summarise the older conversation when a request would pass the threshold"),
            ConfigKeySpec("compaction_threshold", .integer(minimum: 1), default: .integer(80),
                          help: "percent (1-100) of the model's context window at which to compact"),
            ConfigKeySpec("keep_recent", .integer(minimum: 1), default: .integer(20),
                          help: "percent (1-100) of the window kept as it is, newest messages, by a compaction"),
            ConfigKeySpec("todo_reminder_every", .integer(minimum: 0), default: .integer(10),
                          help: "remind the model of open todos every this many model calls (0: only never)"),
        ]),
        ConfigTableSpec("context_windows", anyKey: .integer(minimum: 1)),
    ])
}

/// The keys shared by the top-level tables and the templates (which have no defaults of their
/// own: an unset template key falls back to the table's value).
enum KodeKeys {
    static func agent(defaults: Bool) -> [ConfigKeySpec] {
        [
            ConfigKeySpec("provider", .string,
                          help: "provider for new agents (default: the first vendor with a key, else demo)"),
            ConfigKeySpec("model", .string, help: "model for new agents (default depends on the provider)"),
            ConfigKeySpec("base_url", .string, help: "API base URL for the provider"),
            ConfigKeySpec("max_steps", .integer(minimum: 1), default: defaults ? .integer(100) : nil, help: "most model calls in one turn"),
            ConfigKeySpec("system_prompt", .string, help: "system prompt for new agents (default: Kode's own)"),
            ConfigKeySpec("tools", .strings, help: "the tools new agents may call (default: every tool)"),
        ] + thinking(defaults: defaults)
    }

    static func thinking(defaults: Bool) -> [ConfigKeySpec] {
        [
            ConfigKeySpec("thinking", .choice(["off", "low", "medium", "high"]), default: defaults ? .string("off") : nil,
                          help: "extended thinking for new agents"),
            ConfigKeySpec("thinking_budget", .integer(minimum: 1024),
                          help: "thinking tokens (Anthropic, Gemini); default by level: low 2048, medium 8192, high 24576"),
            ConfigKeySpec("expose_thinking", .bool, default: defaults ? .bool(true) : nil,
                          help: "publish thinking as think_chunk events"),
            ConfigKeySpec("retain_thinking", .bool, default: defaults ? .bool(true) : nil,
                          help: "send earlier turns' thinking back to the model"),
        ]
    }

    static func permissions(defaults: Bool) -> [ConfigKeySpec] {
        let empty: ConfigValue? = defaults ? .array([]) : nil
        return [
            ConfigKeySpec("mode", .choice(["auto", "approval", "readonly"]), default: defaults ? .string("approval") : nil,
                          help: "permission mode for new agents"),
            ConfigKeySpec("allow", .strings, default: empty, help: "patterns that run without asking"),
            ConfigKeySpec("deny", .strings, default: empty, help: "patterns that are always refused"),
            ConfigKeySpec("require_approval", .strings, default: empty, help: "patterns that always ask a person"),
            ConfigKeySpec("allow_paths", .strings, default: empty, help: "more directories tools may touch besides the work directory"),
            ConfigKeySpec("denied_commands", .strings, default: empty,
                          help: "command prefixes bash_run refuses, on top of the built-in deny-list"),
            ConfigKeySpec("tool_concurrency", .integer(minimum: 1), default: defaults ? .integer(4) : nil,
                          help: "how many read-only tool calls may run at once"),
        ]
    }

    static func sandbox(defaults: Bool) -> [ConfigKeySpec] {
        [
            ConfigKeySpec("mode", .choice(["read-only", "workspace-write", "full"]), default: defaults ? .string("workspace-write") : nil,
                          help: "what a new agent's commands may write"),
            ConfigKeySpec("network", .bool, default: defaults ? .bool(false) : nil, help: "whether commands may use the network"),
            ConfigKeySpec("writable_paths", .strings, default: defaults ? .array([]) : nil,
                          help: "more paths commands may write (workspace-write)"),
            ConfigKeySpec("require_confinement", .bool, default: defaults ? .bool(false) : nil,
                          help: "refuse commands where the sandbox cannot be enforced"),
            ConfigKeySpec("simulate_unavailable", .bool, default: defaults ? .bool(false) : nil,
                          help: "behave as if the kernel could not confine commands (to try a machine without Landlock)"),
        ]
    }
}
