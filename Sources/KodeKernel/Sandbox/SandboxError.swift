import Foundation

/// Why the sandbox refused or failed something. Every message names the path or command concerned.
public enum SandboxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The working directory given to `LocalSandbox` does not exist or is not a directory.
    case invalidWorkDir(path: String, reason: String)
    /// A path resolves outside the working directory and every allowed path.
    case outsideSandbox(path: String, resolved: String, reason: String)
    /// A write to a path in the agent's store, which only Kode writes.
    case insideStore(path: String, resolved: String, store: String)
    /// A path could not be resolved (symlink loop, unreadable component, …).
    case unresolvable(path: String, reason: String)
    /// The command matched the dangerous-command deny-list.
    case commandRefused(command: String, reason: String)
    /// The shell could not be started.
    case spawnFailed(command: String, detail: String)
    /// The sandbox mode promises confinement this machine cannot enforce, and confinement is required.
    case confinementUnavailable(command: String, mode: SandboxMode, reason: String)
    /// No background shell has this id.
    case unknownShell(id: String, known: [String])

    public var description: String {
        switch self {
        case .invalidWorkDir(let path, let reason):
            return "sandbox working directory \(path) \(reason)"
        case .outsideSandbox(let path, let resolved, let reason):
            return resolved == path
                ? "path \(path) is outside the sandbox: \(reason)"
                : "path \(path) (resolves to \(resolved)) is outside the sandbox: \(reason)"
        case .insideStore(let path, let resolved, let store):
            let shown = resolved == path ? path : "\(path) (resolves to \(resolved))"
            return "path \(shown) is inside the agent store \(store): only Kode writes there (tools and commands may read it)"
        case .unresolvable(let path, let reason):
            return "cannot resolve path \(path): \(reason)"
        case .commandRefused(let command, let reason):
            return "refused to run \"\(command)\": \(reason). This command is on the sandbox's deny-list of destructive commands."
        case .spawnFailed(let command, let detail):
            return "could not start /bin/bash for \"\(command)\": \(detail)"
        case .confinementUnavailable(let command, let mode, let reason):
            return "refused to run \"\(command)\": the \(mode.rawValue) sandbox cannot be enforced on this machine (\(reason)) and the configuration requires confinement. Ask with sandbox: \"full\" and a reason to run it unconfined with a person's approval."
        case .unknownShell(let id, let known):
            let list = known.isEmpty ? "there are no background shells" : "known shells: \(known.joined(separator: ", "))"
            return "no background shell with id \"\(id)\" (\(list))"
        }
    }
}
