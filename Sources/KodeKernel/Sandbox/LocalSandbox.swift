import Foundation

/// The sandbox for the local machine: a working directory (plus optional extra allowed paths)
/// that every tool path must stay inside, symlinks included; commands confined by the operating
/// system as `SandboxConfig` says (Landlock and a network namespace through `kode-confine`), in
/// their own process groups, killed on timeout, interrupt or shutdown; and a deny-list of
/// destructive commands.
public final class LocalSandbox: WorkspaceSandbox {
    /// The working directory, with symlinks resolved (so `/tmp` on macOS reads `/private/tmp`).
    public let workDir: URL
    /// Extra directories (or files) tools may use, resolved like `workDir`.
    public let allowPaths: [URL]
    /// The background shells started through `bash_run` with `background: true`.
    public let backgroundShells = BackgroundShells()

    private let roots: [String]
    /// The agent's store (resolved), which tools may read but never write.
    private let storeRoot: String?
    private let denyCommands: [String]?
    private let foreground = ForegroundShells()
    private let confiner: CommandConfiner

    /// How commands are confined: as configured, or why not.
    public var confinement: CommandConfinement { confiner.status }
    /// What this machine can enforce, as probed.
    public var confinementSupport: ConfinementSupport { confiner.support }

    /// Creates a sandbox rooted at `workDir`.
    ///
    /// - Parameters:
    ///   - workDir: must exist and be a directory; otherwise this throws `SandboxError.invalidWorkDir` naming it.
    ///   - allowPaths: further places tools may read and write (for example a shared cache).
    ///   - denyCommands: extra command prefixes to refuse, on top of the built-in deny-list
    ///     (`CommandGuard`). A command is refused when one of its simple commands starts with one
    ///     of these, word for word (`"git push"` refuses `git push --force` but not `git pushx`).
    ///   - commands: how commands are confined; by default `workspace-write` with the network off.
    ///   - storeRoot: the agent's store directory, if it has one (a `FileStore`'s root): kept
    ///     read-only for commands and `fs_*` writes even inside the working directory, and its
    ///     host's socket directory hidden from commands.
    public init(workDir: URL, allowPaths: [URL] = [], denyCommands: [String]? = nil, commands: SandboxConfig = SandboxConfig(), storeRoot: URL? = nil) throws {
        let given = workDir.standardizedFileURL.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: given, isDirectory: &isDirectory) else {
            throw SandboxError.invalidWorkDir(path: given, reason: "does not exist")
        }
        guard isDirectory.boolValue else {
            throw SandboxError.invalidWorkDir(path: given, reason: "is not a directory")
        }
        let root: String
        do { root = try PhysicalPath.resolve(given) } catch { throw SandboxError.invalidWorkDir(path: given, reason: "cannot be resolved: \(error.reason)") }
        var allowed: [String] = []
        for url in allowPaths {
            let path = url.standardizedFileURL.path
            do { allowed.append(try PhysicalPath.resolve(path)) } catch { throw SandboxError.unresolvable(path: path, reason: error.reason) }
        }
        self.workDir = URL(fileURLWithPath: root, isDirectory: true)
        self.allowPaths = allowed.map { URL(fileURLWithPath: $0) }
        self.roots = [root] + allowed
        self.denyCommands = denyCommands
        let store = storeRoot.map { url in
            let path = PhysicalPath.lexical(url.standardizedFileURL.path)
            return (try? PhysicalPath.resolve(path)) ?? path
        }
        self.storeRoot = store
        self.confiner = CommandConfiner(config: commands, workDir: root, allowPaths: allowed, storeRoot: store)
    }

    // MARK: Paths

    /// Resolves `path` for a tool and refuses it when it leaves the sandbox.
    ///
    /// Relative paths are taken against `workDir`; `~` means the home directory. `..` and every
    /// symlink on the way are followed (for a file that does not exist yet, up to its nearest
    /// existing ancestor), so neither `../x`, an absolute path, a symlink pointing out, nor a
    /// symlinked parent directory gets out. With `forWriting`, the sandbox roots themselves are
    /// refused as targets too (a tool may write inside them, never replace them), and so is
    /// anything in the agent's store (`SandboxError.insideStore`).
    public func resolve(_ path: String, forWriting: Bool) throws -> URL {
        guard !path.isEmpty else { throw SandboxError.unresolvable(path: path, reason: "the path is empty") }
        guard !path.contains("\0") else { throw SandboxError.unresolvable(path: path, reason: "the path contains a NUL byte") }
        let absolute = absolutePath(for: path)
        let resolved: String
        do { resolved = try PhysicalPath.resolve(absolute) } catch { throw SandboxError.unresolvable(path: path, reason: error.reason) }

        guard roots.contains(where: { PhysicalPath.isInside(resolved, root: $0) }) else {
            let lexical = PhysicalPath.lexical(absolute)
            let why = roots.contains(where: { PhysicalPath.isInside(lexical, root: $0) })
                ? "a symlink on the way points outside \(describeRoots())"
                : "it is not inside \(describeRoots())"
            throw SandboxError.outsideSandbox(path: path, resolved: resolved, reason: why)
        }
        if forWriting, roots.contains(resolved) {
            throw SandboxError.outsideSandbox(path: path, resolved: resolved, reason: "a sandbox root directory cannot itself be written")
        }
        // The second line behind the launcher's read-only mount: the agent's log is Kode's alone.
        if forWriting, let storeRoot, PhysicalPath.isInside(resolved, root: storeRoot) {
            throw SandboxError.insideStore(path: path, resolved: resolved, store: storeRoot)
        }
        return URL(fileURLWithPath: resolved)
    }

    /// `url` relative to `workDir` when inside it (`.` for the directory itself), absolute otherwise.
    public func displayPath(_ url: URL) -> String {
        let path = url.path
        let root = workDir.path
        if path == root { return "." }
        if root == "/" { return String(path.dropFirst()) }
        if path.hasPrefix(root + "/") { return String(path.dropFirst(root.count + 1)) }
        return path
    }

    private func absolutePath(for path: String) -> String {
        if path == "~" || path.hasPrefix("~/") {
            return FileManager.default.homeDirectoryForCurrentUser.path + path.dropFirst()
        }
        if path.hasPrefix("/") { return path }
        return workDir.path + "/" + path
    }

    private func describeRoots() -> String {
        guard roots.count > 1 else { return "the working directory \(roots[0])" }
        return "the working directory \(roots[0]) or the allowed paths \(roots.dropFirst().joined(separator: ", "))"
    }

    // MARK: Commands

    /// Throws `SandboxError.commandRefused` when `command` is on the built-in deny-list or starts
    /// (in any of its simple commands) with one of the configured `denyCommands`.
    public func vet(command: String) throws {
        if let reason = CommandGuard.refusal(for: command) {
            throw SandboxError.commandRefused(command: command, reason: reason)
        }
        guard let denyCommands, !denyCommands.isEmpty else { return }
        let simpleCommands = ShellWords(command).commands.map { CommandGuard.programAndArguments($0.words) }
        for prefix in denyCommands {
            let prefixWords = ShellWords(prefix).commands.first.map { CommandGuard.programAndArguments($0.words) } ?? []
            guard !prefixWords.isEmpty else { continue }
            if simpleCommands.contains(where: { $0.starts(with: prefixWords) }) {
                throw SandboxError.commandRefused(command: command, reason: "it matches the configured denied command \"\(prefix)\"")
            }
        }
    }

    /// Starts `command` in `workDir` in a new process group, keeping the first `outputLimit` bytes,
    /// confined as configured unless `widening` (approved by a person) asks for more.
    /// The process is tracked so `terminateAll()` can kill it; vet the command first.
    public func startShell(_ command: String, outputLimit: Int, widening: SandboxWidening?) throws -> ShellProcess {
        let launch = try confiner.launch(for: command, widening: widening)
        let process = try ShellProcess(command: command, workDir: workDir, launch: launch, outputLimit: outputLimit, keep: .head)
        foreground.track(process)
        return process
    }

    /// Starts `command` as a background shell and returns its id (`sh_N`); confined like `startShell`.
    public func startBackgroundShell(_ command: String, widening: SandboxWidening?) throws -> String {
        let launch = try confiner.launch(for: command, widening: widening)
        let process = try ShellProcess(command: command, workDir: workDir, launch: launch, outputLimit: BackgroundShells.retainedOutputLimit, keep: .tail)
        return backgroundShells.add(process)
    }

    /// Kills every process group started through this sandbox, foreground and background, and
    /// waits until each is gone.
    public func terminateAll() async {
        let processes = foreground.running() + backgroundShells.all
        for process in processes { process.terminate(reason: "stopped because the sandbox was shut down") }
        for process in processes { await process.waitUntilFinished() }
    }
}
