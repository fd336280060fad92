import Foundation

/// A `Sandbox` the built-in tools can work in: it confines paths, vets commands and runs shells.
///
/// `LocalSandbox` is the implementation for the local machine; another host (a container, a remote
/// machine) can implement this protocol and reuse every built-in tool unchanged.
public protocol WorkspaceSandbox: Sandbox {
    /// Resolves `path` (relative to `workDir`, `..` and symlinks followed) and throws
    /// `SandboxError.outsideSandbox` when the result leaves `workDir` and the allowed paths.
    func resolve(_ path: String, forWriting: Bool) throws -> URL
    /// How to show `url` to the model: relative to `workDir` when inside it, absolute otherwise.
    func displayPath(_ url: URL) -> String
    /// Throws `SandboxError.commandRefused` when `command` is on the deny-list.
    func vet(command: String) throws
    /// Starts `command` in the foreground in its own process group, keeping the first `outputLimit`
    /// bytes, confined as the sandbox is configured unless `widening` (which a person approved)
    /// asks for more.
    func startShell(_ command: String, outputLimit: Int, widening: SandboxWidening?) throws -> ShellProcess
    /// Starts `command` as a background shell (output kept for `bash_logs`) and returns its id,
    /// e.g. `sh_1`; `widening` as for `startShell`.
    func startBackgroundShell(_ command: String, widening: SandboxWidening?) throws -> String
    /// The background shells started through this sandbox.
    var backgroundShells: BackgroundShells { get }
}

extension WorkspaceSandbox {
    /// Starts `command` in the foreground, confined as configured.
    public func startShell(_ command: String, outputLimit: Int) throws -> ShellProcess {
        try startShell(command, outputLimit: outputLimit, widening: nil)
    }

    /// Starts `command` as a background shell, confined as configured.
    public func startBackgroundShell(_ command: String) throws -> String {
        try startBackgroundShell(command, widening: nil)
    }
}
