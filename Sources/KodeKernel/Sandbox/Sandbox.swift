import Foundation

/// Where tools run: a working directory they may not leave, and the processes they started.
public protocol Sandbox: AnyObject, Sendable {
    /// The directory relative paths resolve against; every path must stay inside it (or an allowed path).
    var workDir: URL { get }
    /// Kills every process started through this sandbox (used by `interrupt()` and shutdown).
    func terminateAll() async
    /// How this sandbox's commands are confined (shown in status lines and warned about at start).
    var confinement: CommandConfinement { get }
}

extension Sandbox {
    /// A sandbox that does not say is taken to confine (or not) in its own way.
    public var confinement: CommandConfinement { .external }
}
