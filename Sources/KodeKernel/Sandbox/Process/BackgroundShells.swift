import Foundation
import Synchronization

/// The background shells of one sandbox, by id (`sh_1`, `sh_2`, …).
///
/// Finished shells stay listed until they are killed or the sandbox is torn down, so their last
/// output and exit status can still be read with `bash_logs`.
public final class BackgroundShells: Sendable {
    private struct Registry {
        var shells: [String: ShellProcess] = [:]
        var order: [String] = []
        var nextNumber = 1
    }

    private let registry = Mutex(Registry())

    /// Bytes of unread output kept per background shell; older unread output is dropped (and counted).
    public static let retainedOutputLimit = 1 << 20

    /// An empty registry.
    public init() {}

    /// Registers `process` and returns its new id.
    public func add(_ process: ShellProcess) -> String {
        registry.withLock { r in
            let id = "sh_\(r.nextNumber)"
            r.nextNumber += 1
            r.shells[id] = process
            r.order.append(id)
            return id
        }
    }

    /// The shell with this id.
    public func shell(id: String) throws -> ShellProcess {
        try registry.withLock { r in
            guard let process = r.shells[id] else { throw SandboxError.unknownShell(id: id, known: r.order) }
            return process
        }
    }

    /// Forgets the shell with this id (after it was killed).
    public func remove(id: String) {
        registry.withLock { r in
            r.shells[id] = nil
            r.order.removeAll { $0 == id }
        }
    }

    /// Every registered id, oldest first.
    public var ids: [String] {
        registry.withLock { $0.order }
    }

    /// Every registered shell.
    var all: [ShellProcess] {
        registry.withLock { r in r.order.compactMap { r.shells[$0] } }
    }
}
