import Foundation
import Synchronization

/// Turns a `SandboxConfig` into the way each command of one `LocalSandbox` is started: through
/// `kode-confine` with the writable paths and the network flag, or plainly when the mode is
/// `full` (or the machine cannot confine and confinement is not required).
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
    private let temporaryDirectory = Mutex<String?>(nil)

    init(config: SandboxConfig, workDir: String, allowPaths: [String]) {
        self.config = config
        self.workDir = workDir
        let support = config.mode == .full ? ConfinementSupport(landlockABI: 0, network: .none) : ConfinementSupport.probe(config)
        self.support = support
        let extra = config.writablePaths.map { path in
            let absolute = PhysicalPath.lexical(Self.absolute(path, in: workDir))
            return (try? PhysicalPath.resolve(absolute)) ?? absolute
        }
        self.writable = [workDir] + allowPaths + GitDirectories.outside(workDir) + extra
        status = CommandConfinement.expected(for: config, support: support)
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
            let network = configuredNetwork || widening == .network
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
            prefix.append("--")
            let environment = ["TMPDIR": temporary, "KODE_SANDBOX": mode.rawValue + (network ? "+network" : "")]
            return ShellLaunch(prefix: prefix, environment: environment, note: note(mode: mode, network: network))
        }
    }

    /// The one line the model reads after a refusal, naming the mode and how to ask for more.
    private func note(mode: SandboxMode, network: Bool) -> String {
        let writes: String
        switch mode {
        case .readOnly: writes = "no writes anywhere"
        case .workspaceWrite:
            let places = Array(Set(writable)).sorted().joined(separator: ", ")
            writes = "writes only beneath \(places) and $TMPDIR"
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
