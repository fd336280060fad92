import Foundation

/// What `kode doctor` found, in the shape `--json` prints.
struct DoctorReport: Encodable {
    struct Sandbox: Encodable {
        /// 0 when the kernel has no Landlock.
        var landlockABI: Int
        /// `namespace`, `landlock-tcp` or `none`.
        var networkIsolation: String
        /// Whether a mount namespace can be made: what keeps the store read-only and the host's socket hidden.
        var mountNamespace: Bool
        var launcher: String?
        /// What a new agent's commands get here: `workspace-write`, `unconfined`, …
        var defaultCommands: String
        var problem: String?
    }

    struct Terminal: Encodable {
        var term: String?
        var isTTY: Bool
        /// 0 (none, or `NO_COLOR`), 8, 256 or 16777216.
        var colors: Int
        var utf8: Bool
        /// Which variables these were read from.
        var source: String
    }

    struct Host: Encodable {
        var running: Bool
        var pid: Int32?
        var socket: String
    }

    struct Store: Encodable {
        var path: String
        var exists: Bool
        var freeBytes: Int64?
        var agents: Int
        var host: Host
    }

    struct Provider: Encodable {
        var name: String
        /// Where the key was found (`ANTHROPIC_API_KEY`, `credentials file`), nil when it was not.
        var key: String?
        var baseURL: String
        /// nil when not checked (`--offline`).
        var reachable: Bool?
        var detail: String?
    }

    var sandbox: Sandbox
    var terminal: Terminal
    var store: Store
    var providers: [Provider]
    /// Each thing that needs attention, in one sentence.
    var problems: [String]
}
