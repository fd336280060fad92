import Foundation
import Synchronization

/// One connected socket with a reader thread that cuts frames and a writer thread that drains
/// an ``Outbox``. Used by the host for each client and by a client for its host.
package final class SocketConnection: Sendable {
    package let fd: Int32
    let outbox: Outbox
    private let maxInboundFrame: Int
    private struct Handlers {
        var onFrame: @Sendable (Frame) -> Void
        var onClose: @Sendable (String) -> Void
    }
    private let handlers = Mutex<Handlers?>(nil)
    private let closed = Mutex<String?>(nil)
    /// Both threads ended; the descriptor is closed exactly once, after that.
    private let threadsLeft = Mutex(2)

    /// - Parameter outboxLimit: queued bytes after which `sendWhenRoom` waits.
    package init(fd: Int32, maxInboundFrame: Int, outboxLimit: Int = 4 << 20) {
        self.fd = fd
        self.maxInboundFrame = maxInboundFrame
        self.outbox = Outbox(limit: outboxLimit)
    }

    /// Starts the threads.
    /// - Parameters:
    ///   - onFrame: each whole frame, on the reader thread, in order.
    ///   - onClose: once, with why the connection ended.
    package func start(onFrame: @escaping @Sendable (Frame) -> Void, onClose: @escaping @Sendable (String) -> Void) {
        handlers.withLock { $0 = Handlers(onFrame: onFrame, onClose: onClose) }
        let reader = Thread { [self] in readLoop() }
        reader.name = "kode-socket-read"
        reader.start()
        let writer = Thread { [self] in writeLoop() }
        writer.name = "kode-socket-write"
        writer.start()
    }

    /// Queues a frame now.
    package func send(_ frame: Frame) {
        outbox.enqueue(frame.bytes)
    }

    /// Queues framed bytes once the outbox has room; false when the connection is closed.
    package func sendWhenRoom(_ bytes: [UInt8]) async -> Bool {
        await outbox.enqueueWhenRoom(bytes)
    }

    /// Ends the connection after what is queued has been written (best effort).
    package func close(reason: String) {
        guard markClosed(reason) else { return }
        outbox.close()
        // The writer shuts the socket down once drained, which also wakes the reader.
    }

    package var isClosed: Bool { closed.withLock { $0 != nil } }

    private func markClosed(_ reason: String) -> Bool {
        let first = closed.withLock { state -> Bool in
            guard state == nil else { return false }
            state = reason
            return true
        }
        if first { handlers.withLock { $0?.onClose }?(reason) }
        return first
    }

    private func readLoop() {
        guard let onFrame = handlers.withLock({ $0?.onFrame }) else { return }
        var decoder = FrameDecoder(maxFrameSize: maxInboundFrame)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 8)
        defer {
            buffer.deallocate()
            threadEnded()
        }
        while true {
            let n = UnixSocket.read(fd, into: buffer)
            if n <= 0 {
                if markClosed(n == 0 ? "the peer closed the connection" : "read failed: \(String(cString: strerror(errno)))") {
                    outbox.discard()
                }
                UnixSocket.shutdownBoth(fd)
                return
            }
            decoder.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            do {
                while let frame = try decoder.next() {
                    onFrame(frame)
                }
            } catch {
                // A stream that is not frames cannot be resynchronised: say why, then end it.
                let message = ConnectionError(code: "bad_frame", message: error.description)
                send(Frame(kind: .message, payload: WireJSON.encode(message)))
                close(reason: error.description)
                return
            }
        }
    }

    private func writeLoop() {
        defer { threadEnded() }
        while let bytes = outbox.takeAll() {
            do {
                try bytes.withUnsafeBytes { try UnixSocket.writeAll(fd, $0) }
                outbox.wrote(bytes.count)
            } catch {
                _ = markClosed("write failed: \(error)")
                outbox.discard()
                break
            }
        }
        UnixSocket.shutdownBoth(fd)
    }

    private func threadEnded() {
        let last = threadsLeft.withLock { n -> Bool in
            n -= 1
            return n == 0
        }
        if last { UnixSocket.closeDescriptor(fd) }
    }
}
