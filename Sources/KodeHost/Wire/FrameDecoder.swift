import Foundation

/// Cuts a byte stream into frames. Fed whatever a read returned; never trusts a length before
/// checking it against the limit, so garbage costs at most `maxFrameSize` bytes of memory.
package struct FrameDecoder: Sendable {
    /// The largest `length` accepted.
    package let maxFrameSize: Int
    private var buffer: [UInt8] = []
    private var start = 0

    package init(maxFrameSize: Int) {
        self.maxFrameSize = maxFrameSize
    }

    /// Bytes received but not yet part of a whole frame.
    package var buffered: Int { buffer.count - start }

    /// Adds received bytes.
    package mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        if start > 0, start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    package mutating func feed(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { feed($0) }
    }

    /// The next whole frame, `nil` when more bytes are needed. A frame that cannot be valid is an
    /// error; the stream cannot be resynchronised after one, so the connection should end.
    package mutating func next() throws(FrameError) -> Frame? {
        guard buffer.count - start >= 4 else { return nil }
        let length = Int(buffer[start]) << 24 | Int(buffer[start + 1]) << 16 | Int(buffer[start + 2]) << 8 | Int(buffer[start + 3])
        guard length >= 1 else { throw .empty }
        guard length <= maxFrameSize else { throw .tooLarge(length: length, limit: maxFrameSize) }
        guard buffer.count - start >= 4 + length else { return nil }
        let kindByte = buffer[start + 4]
        guard let kind = Frame.Kind(rawValue: kindByte) else {
            start += 4 + length
            compactIfNeeded()
            throw .unknownKind(kindByte)
        }
        let payload = Array(buffer[(start + 5)..<(start + 4 + length)])
        start += 4 + length
        compactIfNeeded()
        return Frame(kind: kind, payload: payload)
    }

    /// Keeps the consumed prefix from growing without bound on a long stream.
    private mutating func compactIfNeeded() {
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 1 << 16, start > buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
    }
}

/// A byte stream that is not a sequence of frames.
package enum FrameError: Error, Sendable, Hashable, CustomStringConvertible {
    case empty
    case tooLarge(length: Int, limit: Int)
    case unknownKind(UInt8)

    package var description: String {
        switch self {
        case .empty: return "bad frame: length 0 (a frame has at least its kind byte)"
        case .tooLarge(let length, let limit): return "bad frame: length \(length) exceeds the limit of \(limit) bytes"
        case .unknownKind(let kind): return "bad frame: unknown kind \(kind) (1 is a JSON message, 2 pushed events)"
        }
    }
}
