import Foundation
import KodeKernel

/// Where a store's host keeps its socket, pid file, lock and log: `<store>/host/`, a directory
/// only its owner may enter (mode 0700), so the socket is private before any uid check.
public struct HostPaths: Sendable, Hashable {
    /// The directory.
    public var directory: URL
    /// The Unix domain socket. Beside the rest, or under `/tmp/kode-<uid>/` when the store's
    /// path is too long for a socket address (about 107 bytes).
    public var socket: String
    /// The host's process id while it runs.
    public var pidFile: URL
    /// Held by the running host: one host per store.
    public var lockFile: URL
    /// Where a host started with `--detach` writes its log.
    public var logFile: URL

    /// The paths for the file store at `storeRoot` (the directories are `HostDirectories`', which the sandbox hides).
    public init(storeRoot: URL) {
        directory = HostDirectories.directory(storeRoot: storeRoot)
        pidFile = directory.appendingPathComponent("kode.pid")
        lockFile = directory.appendingPathComponent("LOCK")
        logFile = directory.appendingPathComponent("host.log")
        let beside = directory.appendingPathComponent("kode.sock").path
        if beside.utf8.count < UnixSocket.maxPathLength {
            socket = beside
        } else {
            // Stable for the store, so clients find the same name; the directory is private.
            let digest = CRC32C.checksum(Array(storeRoot.standardizedFileURL.path.utf8))
            socket = HostDirectories.socketFallback + "/" + String(digest, radix: 16) + ".sock"
        }
    }

    /// Creates the directories with mode 0700 (and tightens them if they exist).
    public func prepare() throws {
        for dir in [directory.path, (socket as NSString).deletingLastPathComponent] {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            guard chmod(dir, 0o700) == 0 else { throw SocketError("chmod 0700", path: dir) }
        }
    }

    /// The pid the pid file names, if any.
    public func recordedPID() -> Int32? {
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
