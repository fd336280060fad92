import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes to a server's stdin on a thread of its own.
///
/// A write to a pipe blocks while the pipe is full, and a server that stopped reading would
/// otherwise hold one of the two cooperative threads; and a write to a pipe whose reader exited
/// raises SIGPIPE, which would end Kode. This thread blocks SIGPIPE, so such a write fails with
/// `EPIPE` instead, for this thread only.
final class PipeWriter: Sendable {
    private struct Job: Sendable {
        let bytes: [UInt8]
        let done: CheckedContinuation<Void, any Error>
    }

    private struct Queue {
        var jobs: [Job] = []
        var closed = false
    }

    private let fd: Int32
    private let queue = Mutex(Queue())
    private let wake = DispatchSemaphore(value: 0)

    /// Starts the writer thread for `fd`, which it closes when `close()` is called.
    init(fd: Int32) {
        self.fd = fd
        let thread = Thread { [self] in run() }
        thread.name = "kode-mcp-writer"
        thread.start()
    }

    /// Writes all of `bytes`; throws when the server closed its stdin or exited.
    func write(_ bytes: [UInt8]) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            let accepted = queue.withLock { queue in
                guard !queue.closed else { return false }
                queue.jobs.append(Job(bytes: bytes, done: done))
                return true
            }
            if accepted {
                wake.signal()
            } else {
                done.resume(throwing: MCPTransportError.closed)
            }
        }
    }

    /// Stops taking writes, fails the queued ones, and closes the pipe (the server sees end of
    /// input, which asks it to exit).
    func close() {
        queue.withLock { $0.closed = true }
        wake.signal()
    }

    private func run() {
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &blocked, nil)
        while true {
            wake.wait()
            let (jobs, closed) = queue.withLock { queue in
                defer { queue.jobs.removeAll() }
                return (queue.jobs, queue.closed)
            }
            for job in jobs {
                if closed {
                    job.done.resume(throwing: MCPTransportError.closed)
                } else if let failure = writeAll(job.bytes) {
                    job.done.resume(throwing: failure)
                } else {
                    job.done.resume()
                }
            }
            if closed {
                SystemCall.close(fd)
                return
            }
        }
    }

    private func writeAll(_ bytes: [UInt8]) -> MCPTransportError? {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                SystemCall.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return errno == EPIPE ? .closed : .writeFailed(String(cString: strerror(errno)))
            }
            offset += written
        }
        return nil
    }
}
