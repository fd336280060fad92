import Foundation
@testable import KodeHost

/// A client that writes whatever bytes a test gives it, for the protocol's bad-input cases.
/// Its blocking reads run on a thread of their own: the host under test shares this process's
/// few cooperative threads, and a test blocking them would starve the host it waits for.
final class RawClient: @unchecked Sendable {
    // Used by one test at a time, from one task; the reads hop to a thread and back.
    let fd: Int32
    private var decoder = FrameDecoder(maxFrameSize: 1 << 30)

    init(socketPath: String) throws {
        fd = try UnixSocket.connect(to: socketPath)
        // A host that never answers fails the test instead of hanging it.
        UnixSocket.setTimeouts(fd, seconds: 120)
    }

    deinit { UnixSocket.closeDescriptor(fd) }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try UnixSocket.writeAll(fd, $0) }
    }

    func message(_ json: String) throws {
        try write(Frame(kind: .message, payload: Array(json.utf8)).bytes)
    }

    func hello() async throws {
        try message(#"{"type":"hello","version":1,"client":"raw"}"#)
        _ = try await next()
    }

    /// The next frame's JSON as text; `nil` when the host closed the connection.
    func next() async throws -> String? {
        while true {
            if let frame = try decoder.next() { return String(decoding: frame.payload, as: UTF8.self) }
            let fd = self.fd
            let bytes = await withCheckedContinuation { (c: CheckedContinuation<[UInt8], Never>) in
                Thread.detachNewThread {
                    var buffer = [UInt8](repeating: 0, count: 65536)
                    let n = buffer.withUnsafeMutableBytes { UnixSocket.read(fd, into: $0) }
                    c.resume(returning: n > 0 ? Array(buffer[0..<n]) : [])
                }
            }
            if bytes.isEmpty { return nil }
            decoder.feed(bytes)
        }
    }

    /// Reads until the host closes; returns every message it sent.
    func drain() async throws -> [String] {
        var all: [String] = []
        while let m = try await next() { all.append(m) }
        return all
    }
}
