import Foundation
@testable import KodeHost

/// A client that writes whatever bytes a test gives it, for the protocol's bad-input cases.
final class RawClient {
    let fd: Int32
    private var decoder = FrameDecoder(maxFrameSize: 1 << 30)

    init(socketPath: String) throws {
        fd = try UnixSocket.connect(to: socketPath)
    }

    deinit { UnixSocket.closeDescriptor(fd) }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try UnixSocket.writeAll(fd, $0) }
    }

    func message(_ json: String) throws {
        try write(Frame(kind: .message, payload: Array(json.utf8)).bytes)
    }

    func hello() throws {
        try message(#"{"type":"hello","version":1,"client":"raw"}"#)
        _ = try next()
    }

    /// The next frame's JSON as text; `nil` when the host closed the connection.
    func next() throws -> String? {
        while true {
            if let frame = try decoder.next() { return String(decoding: frame.payload, as: UTF8.self) }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let n = buffer.withUnsafeMutableBytes { UnixSocket.read(fd, into: $0) }
            if n <= 0 { return nil }
            decoder.feed(Array(buffer[0..<n]))
        }
    }

    /// Reads until the host closes; returns every message it sent.
    func drain() throws -> [String] {
        var all: [String] = []
        while let m = try next() { all.append(m) }
        return all
    }
}
