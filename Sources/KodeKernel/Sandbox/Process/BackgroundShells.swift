import Foundation

/// The background shells of one sandbox, by id (`sh_1`, `sh_2`, …).
///
/// Finished shells stay listed until they are killed or the sandbox is torn down, so their last
/// output and exit status can still be read with `bash_logs`.
public final class BackgroundShells: @unchecked Sendable {
    private let lock = NSLock()
    private var shells: [String: ShellProcess] = [:]
    private var order: [String] = []
    private var nextNumber = 1

    /// Bytes of unread output kept per background shell; older unread output is dropped (and counted).
    public static let retainedOutputLimit = 1 << 20

    /// An empty registry.
    public init() {}

    /// Registers `process` and returns its new id.
    public func add(_ process: ShellProcess) -> String {
        lock.withLock {
            let id = "sh_\(nextNumber)"
            nextNumber += 1
            shells[id] = process
            order.append(id)
            return id
        }
    }

    /// The shell with this id.
    public func shell(id: String) throws -> ShellProcess {
        try lock.withLock {
            guard let process = shells[id] else { throw SandboxError.unknownShell(id: id, known: order) }
            return process
        }
    }

    /// Forgets the shell with this id (after it was killed).
    public func remove(id: String) {
        lock.withLock {
            shells[id] = nil
            order.removeAll { $0 == id }
        }
    }

    /// Every registered id, oldest first.
    public var ids: [String] {
        lock.withLock { order }
    }

    /// Every registered shell.
    var all: [ShellProcess] {
        lock.withLock { order.compactMap { shells[$0] } }
    }
}
