import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A Unix domain socket listening at a path, standing in for a running `kode serve`: a client's
/// `connect()` succeeds (the backlog takes it) without anyone accepting.
final class ListeningUnixSocket {
    let path: String
    private let fd: Int32

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    init(at path: String) throws {
        self.path = path
        #if canImport(Glibc)
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
        fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw Failure(description: "socket path too long: \(path)") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        unlink(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let text = String(cString: strerror(errno))
            close(fd)
            throw Failure(description: "bind/listen \(path): \(text)")
        }
    }

    deinit {
        close(fd)
        unlink(path)
    }

    /// The command that connects to `path` (or `through`, another name for it) with python3 and prints `connected`.
    func connectCommand(through name: String? = nil) -> String {
        "python3 -c \"import socket; s=socket.socket(socket.AF_UNIX); s.connect('\(name ?? path)'); print('connected')\""
    }
}
