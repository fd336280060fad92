import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small HTTP proxy on 127.0.0.1 that speaks `CONNECT`, on plain sockets and threads.
///
/// It records each request head it receives, answers 407 when `requiredCredentials` are set and
/// the request lacks them, and otherwise opens the tunnel to `targetPort` on 127.0.0.1 — whatever
/// host the client asked for — and relays bytes both ways. A provider whose base URL names a host
/// that does not resolve can therefore only reach the loopback server through this proxy.
final class ConnectProxy: Sendable {
    /// The port chosen by the kernel.
    let port: Int
    private let listener: Int32
    private let targetPort: Int
    private let requiredCredentials: String?
    private let recordedHeads = Mutex<[String]>([])

    /// Starts listening. `requiredCredentials` is `user:password`, checked as Basic authorization.
    init(targetPort: Int, requiredCredentials: String? = nil) throws {
        self.targetPort = targetPort
        self.requiredCredentials = requiredCredentials
        listener = try Self.makeListener()
        port = Self.localPort(listener)
        let acceptor = Thread { [self] in acceptLoop() }
        acceptor.start()
    }

    /// Every request head received, in order (the `CONNECT` line first in each).
    var heads: [String] { recordedHeads.withLock { $0 } }

    /// Stops accepting connections (tunnels already open run to their end).
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            Thread { [self] in serve(connection) }.start()
        }
    }

    private func serve(_ client: Int32) {
        guard let (head, rest) = readHead(client) else {
            close(client)
            return
        }
        recordedHeads.withLock { $0.append(head) }
        if let requiredCredentials {
            let expected = "proxy-authorization: basic " + Data(requiredCredentials.utf8).base64EncodedString().lowercased()
            guard head.lowercased().contains(expected) else {
                write(client, Array("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n".utf8))
                close(client)
                return
            }
        }
        guard head.hasPrefix("CONNECT "), let target = try? Self.dial(port: targetPort) else {
            write(client, Array("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n".utf8))
            close(client)
            return
        }
        write(client, Array("HTTP/1.1 200 Connection Established\r\n\r\n".utf8))
        write(target, rest)
        // Both directions run until their source ends; only then are the sockets closed, so
        // neither relay can write to a descriptor the other already closed.
        let upstreamDone = DispatchSemaphore(value: 0)
        Thread {
            Self.relay(from: client, to: target)
            upstreamDone.signal()
        }.start()
        Self.relay(from: target, to: client)
        upstreamDone.wait()
        close(client)
        close(target)
    }

    /// Copies bytes until `source` ends, then ends the writes towards `destination`.
    private static func relay(from source: Int32, to destination: Int32) {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            guard sendAll(destination, buffer[0..<count]) else { break }
        }
        shutdown(destination, Int32(SHUT_WR))
    }

    /// The request head (up to the blank line) and any bytes that followed it.
    private func readHead(_ connection: Int32) -> (String, [UInt8])? {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return nil }
            received.append(contentsOf: buffer[0..<count])
            if let end = Self.headEnd(received) {
                return (String(decoding: received[..<end], as: UTF8.self), Array(received[(end + 4)...]))
            }
        }
    }

    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }

    private func write(_ connection: Int32, _ bytes: [UInt8]) { _ = Self.sendAll(connection, bytes[...]) }

    private static func sendAll(_ connection: Int32, _ bytes: ArraySlice<UInt8>) -> Bool {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let sent = bytes[offset...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return false }
            offset += sent
        }
        return true
    }

    private static func makeListener() throws -> Int32 {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw ProxyTestError("socket() failed") }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 16) == 0 else { throw ProxyTestError("bind/listen failed") }
        return listener
    }

    private static func dial(port: Int) throws -> Int32 {
        let connection = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard connection >= 0 else { throw ProxyTestError("socket() failed") }
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(connection, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(connection)
            throw ProxyTestError("connect() failed")
        }
        return connection
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private static func localPort(_ socket: Int32) -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct ProxyTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
