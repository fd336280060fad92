import Foundation

/// Where a store's host (`kode serve`, in KodeHost) keeps its socket. Named here, below KodeHost,
/// because the sandbox must hide these directories from commands: Landlock does not stop a
/// `connect()` to a pathname Unix socket, and the host runs whatever its clients ask.
public enum HostDirectories {
    /// `<store>/host/`: the socket, pid file, lock and log.
    public static func directory(storeRoot: URL) -> URL {
        storeRoot.appendingPathComponent("host", isDirectory: true)
    }

    /// `/tmp/kode-<uid>/`: the socket's directory when the store's path is too long for a socket
    /// address. Shared by every store of the user.
    public static var socketFallback: String { "/tmp/kode-\(getuid())" }
}
