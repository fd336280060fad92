import CHostSupport
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
private let systemListen = Glibc.listen
private let systemConnect = Glibc.connect
#else
private let systemListen = Darwin.listen
private let systemConnect = Darwin.connect
#endif

/// The few POSIX calls the host and its clients make on a Unix domain socket. Blocking calls
/// run on the dedicated threads of ``SocketConnection`` and ``HostServer``, never on the
/// cooperative pool.
package enum UnixSocket {
    /// `sun_path` holds this many bytes including the terminating zero.
    static var maxPathLength: Int { MemoryLayout.size(ofValue: sockaddr_un().sun_path) }

    private static func address(_ path: String) throws -> sockaddr_un {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < maxPathLength else {
            throw SocketError("socket path too long (\(bytes.count) bytes, at most \(maxPathLength - 1)):", path: path, code: ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return addr
    }

    private static func newSocket(_ path: String) throws -> Int32 {
        #if canImport(Glibc)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        if fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        #endif
        guard fd >= 0 else { throw SocketError("socket for", path: path) }
        #if canImport(Darwin)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        return fd
    }

    /// Binds and listens at `path`, readable and writable by the owner only.
    package static func listen(at path: String) throws -> Int32 {
        var addr = try address(path)
        let fd = try newSocket(path)
        unlink(path)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw SocketError("bind", path: path, code: code)
        }
        chmod(path, 0o600)
        guard systemListen(fd, 128) == 0 else {
            let code = errno
            close(fd)
            throw SocketError("listen", path: path, code: code)
        }
        return fd
    }

    /// Connects to the socket at `path`.
    package static func connect(to path: String) throws -> Int32 {
        var addr = try address(path)
        let fd = try newSocket(path)
        let result = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { systemConnect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw SocketError("connect", path: path, code: code)
        }
        return fd
    }

    /// The next connection, or `nil` once the listening socket was shut down.
    package static func accept(_ listener: Int32) -> Int32? {
        while true {
            let fd = kode_accept_cloexec(listener)
            if fd >= 0 { return fd }
            switch errno {
            case EINTR, ECONNABORTED: continue
            // Out of descriptors: refuse this one rather than spin, and keep serving.
            case EMFILE, ENFILE:
                usleep(10_000)
                continue
            default: return nil
            }
        }
    }

    /// The user id of the process at the other end.
    package static func peerUID(_ fd: Int32) -> uid_t? {
        var uid: UInt32 = 0
        guard kode_peer_uid(fd, &uid) == 0 else { return nil }
        return uid_t(uid)
    }

    /// Writes everything or throws (a closed peer is `EPIPE`, never a SIGPIPE).
    package static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(SocketError) {
        var offset = 0
        while offset < bytes.count {
            #if canImport(Glibc)
            let n = send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            #else
            let n = Darwin.send(fd, bytes.baseAddress! + offset, bytes.count - offset, 0)
            #endif
            if n < 0 {
                if errno == EINTR { continue }
                throw SocketError("write to", path: "socket")
            }
            offset += n
        }
    }

    /// Reads what is there (blocking until something is); 0 at the end of the stream.
    package static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        while true {
            let n = recv(fd, buffer.baseAddress, buffer.count, 0)
            if n < 0, errno == EINTR { continue }
            return n
        }
    }

    /// Ends both directions, waking a thread blocked in `read` on the same socket.
    package static func shutdownBoth(_ fd: Int32) {
        shutdown(fd, Int32(SHUT_RDWR))
    }

    /// Stops a blocked write from hanging forever on a client that stopped reading.
    package static func setSendTimeout(_ fd: Int32, seconds: Int) {
        var tv = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Bounds both blocked writes and blocked reads.
    package static func setTimeouts(_ fd: Int32, seconds: Int) {
        setSendTimeout(fd, seconds: seconds)
        var tv = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    package static func closeDescriptor(_ fd: Int32) {
        #if canImport(Glibc)
        _ = Glibc.close(fd)
        #else
        _ = Darwin.close(fd)
        #endif
    }
}
