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
    /// Starts `command` in the foreground in its own process group, keeping the first `outputLimit` bytes.
    func startShell(_ command: String, outputLimit: Int) throws -> ShellProcess
    /// Starts `command` as a background shell (output kept for `bash_logs`) and returns its id, e.g. `sh_1`.
    func startBackgroundShell(_ command: String) throws -> String
    /// The background shells started through this sandbox.
    var backgroundShells: BackgroundShells { get }
}
