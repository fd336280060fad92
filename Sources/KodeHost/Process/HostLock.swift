import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one-host-per-store lock: an advisory lock on `host/LOCK`, released by the kernel when the
/// host dies however it dies, so a crashed host never blocks the next one.
package final class HostLock: Sendable {
    private let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    /// Takes the lock or says which process holds it.
    package static func acquire(_ paths: HostPaths) throws -> HostLock {
        let fd = open(paths.lockFile.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SocketError("open", path: paths.lockFile.path) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            let holder = paths.recordedPID().map { "pid \($0)" } ?? "another process"
            throw HostError.alreadyRunning("a host already runs for this store (\(holder)); 'kode serve --status' shows it")
        }
        return HostLock(fd: fd)
    }

    /// The held lock file: the file at the lock's path is another one once the store was
    /// removed and made again.
    package var identity: FileIdentity? { FileIdentity(descriptor: fd) }

    package func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}

/// Failures of starting or reaching a host.
public enum HostError: Error, Sendable, Hashable, CustomStringConvertible {
    case alreadyRunning(String)
    case notRunning(String)
    case startFailed(String)

    public var description: String {
        switch self {
        case .alreadyRunning(let m), .notRunning(let m), .startFailed(let m): return m
        }
    }
}
