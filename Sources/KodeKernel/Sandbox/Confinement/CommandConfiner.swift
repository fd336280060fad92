import Foundation
import Synchronization

/// Turns a `SandboxConfig` into the way each command of one `LocalSandbox` is started: through
/// `kode-confine` with the writable paths, the network flag and the store's paths to protect and
/// hide, or plainly when the mode is `full` (or the machine cannot confine and confinement is not
/// required).
///
/// It owns the sandbox's private temporary directory (`$TMPDIR` of its commands), made on the
/// first confined command and removed with the sandbox.
final class CommandConfiner: Sendable {
    let config: SandboxConfig
    let support: ConfinementSupport
    /// What the sandbox's commands get when they do not ask for more.
    let status: CommandConfinement

    private let workDir: String
    /// Where writes are allowed in `workspace-write`, besides the private temporary directory.
    private let writable: [String]
    /// Kept read-only although beneath a writable path: the store, when it lies in one.
    private let protected: [String]
    /// Covered by an empty read-only directory: where the store's host puts its socket.
    private let hidden: [String]
    private let temporaryDirectory = Mutex<String?>(nil)

    /// `storeRoot` (resolved) is the agent's store, when it is a directory commands could reach:
    /// commands must not rewrite the agent's own log, nor talk to the host that serves it.
    init(config: SandboxConfig, workDir: String, allowPaths: [String], storeRoot: String? = nil) {
        self.config = config
        self.workDir = workDir
        let support = config.mode == .full ? ConfinementSupport(landlockABI: 0, network: .none) : ConfinementSupport.probe(config)
        self.support = support
        let extra = config.writablePaths.map { path in
            let absolute = PhysicalPath.lexical(Self.absolute(path, in: workDir))
            return (try? PhysicalPath.resolve(absolute)) ?? absolute
        }
        let writable = [workDir] + allowPaths + GitDirectories.outside(workDir) + extra
        self.writable = writable
        if let storeRoot {
            // In read-only mode Landlock alone keeps the store unwritten; a mount is needed only
            // where the store overlaps a writable path (the default: `./.kode` in the work dir `.`).
            let overlaps = writable.contains { PhysicalPath.isInside(storeRoot, root: $0) || PhysicalPath.isInside($0, root: storeRoot) }
            protected = config.mode == .workspaceWrite && overlaps ? [storeRoot] : []
            let fallback = (try? PhysicalPath.resolve(HostDirectories.socketFallback)) ?? HostDirectories.socketFallback
            hidden = [HostDirectories.directory(storeRoot: URL(fileURLWithPath: storeRoot)).path, fallback]
        } else {
            protected = []
            hidden = []
        }
        status = CommandConfinement.expected(for: config, support: support, needsMounts: !hidden.isEmpty)
    }

    deinit {
        if let directory = temporaryDirectory.withLock({ $0 }) {
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    /// How to start `command`, with the rights `widening` asks for (a person approved them).
    /// Throws `SandboxError.confinementUnavailable` when confinement is required and impossible.
    func launch(for command: String, widening: SandboxWidening?) throws -> ShellLaunch {
        if widening == .full { return .plain }
        switch status {
        case .full, .external, .unconfined:
            return .plain
        case .refused(let mode, let reason):
            throw SandboxError.confinementUnavailable(command: command, mode: mode, reason: reason)
        case .confined(let mode, let configuredNetwork):
            return try confined(command, mode: mode, network: configuredNetwork || widening == .network, mounts: true)
        case .partlyConfined(let mode, let configuredNetwork, _):
            return try confined(command, mode: mode, network: configuredNetwork || widening == .network, mounts: false)
        }
    }

    /// Through `kode-confine`; with `mounts`, the store protected and the host's directories hidden.
    private func confined(_ command: String, mode: SandboxMode, network: Bool, mounts: Bool) throws -> ShellLaunch {
        let temporary = try privateTemporaryDirectory(command: command)
        var prefix = [support.launcher ?? ConfinementLauncher.name]
        if mode == .readOnly { prefix.append("--read-only") }
        if !network { prefix.append("--no-network") }
        if mode == .workspaceWrite {
            // A path that does not exist (yet) cannot be granted; it is granted once it does.
            for path in writable + [temporary] where FileManager.default.fileExists(atPath: path) {
                prefix += ["--write", path]
            }
        }
        if mounts {
            for path in protected where FileManager.default.fileExists(atPath: path) { prefix += ["--protect", path] }
            // The launcher makes a missing hidden directory, but not its parent (a store not made yet).
            for path in hidden where FileManager.default.fileExists(atPath: (path as NSString).deletingLastPathComponent) {
                prefix += ["--hide", path]
            }
        }
        prefix.append("--")
        let environment = ["TMPDIR": temporary, "KODE_SANDBOX": mode.rawValue + (network ? "+network" : "")]
        return ShellLaunch(prefix: prefix, environment: environment, note: note(mode: mode, network: network))
    }

    /// The one line the model reads after a refusal, naming the mode and how to ask for more.
    private func note(mode: SandboxMode, network: Bool) -> String {
        let writes: String
        switch mode {
        case .readOnly: writes = "no writes anywhere"
        case .workspaceWrite:
            let places = Array(Set(writable)).sorted().joined(separator: ", ")
            writes = "writes only beneath \(places) and $TMPDIR" + (protected.isEmpty ? "" : ", but not in the agent store \(protected.joined(separator: ", "))")
        case .full: writes = "no limits"
        }
        let net = network ? "network on" : "no network"
        let ask = network ? "sandbox: \"full\"" : "sandbox: \"network\" (or \"full\")"
        return "kode: this command ran in the \(mode.rawValue) sandbox (\(writes); \(net)); ask with \(ask) and a reason if it needs more"
    }

    private func privateTemporaryDirectory(command: String) throws -> String {
        try temporaryDirectory.withLock { directory in
            if let directory, FileManager.default.fileExists(atPath: directory) { return directory }
            var template = Array((NSTemporaryDirectory() + "/kode-tmp-XXXXXX").utf8CString)
            let made = template.withUnsafeMutableBufferPointer { buffer in mkdtemp(buffer.baseAddress!).map { String(cString: $0) } }
            guard let made else {
                throw SandboxError.spawnFailed(command: command, detail: "cannot create the private temporary directory: \(ShellSpawn.errnoText())")
            }
            let path = (try? PhysicalPath.resolve(made)) ?? made
            directory = path
            return path
        }
    }

    /// `~/x` in the home directory, `x` in the working directory.
    private static func absolute(_ path: String, in workDir: String) -> String {
        if path == "~" || path.hasPrefix("~/") { return FileManager.default.homeDirectoryForCurrentUser.path + path.dropFirst() }
        return path.hasPrefix("/") ? path : workDir + "/" + path
    }
}
