import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the input thread reports.
package enum TerminalInput: Sendable {
    case input(InputEvent)
    case signal(Int32)
}

/// The dedicated input thread: reads raw bytes from the terminal (never through curses, so the
/// UI loop owns curses alone), decodes them with `KeyDecoder` and relays signal bytes. An ESC
/// with nothing after it within `escapeDelayMs` is the Esc key.
///
/// `@unchecked Sendable` because of the three flags below: they are read and written only with
/// `lock` held. `pause` must block until the reader thread has parked and the thread must block
/// until `resume`, which needs a condition variable's wait and broadcast; `Mutex` has neither.
/// Everything else is immutable.
package final class InputReader: @unchecked Sendable {
    private let fd: Int32
    private let escapeDelayMs: Int32
    private let deliver: @Sendable (TerminalInput) -> Void
    private let lock = NSCondition()
    private var pauseRequested = false
    private var parked = false
    private var stopRequested = false
    /// A pipe whose read end the thread polls beside the terminal, so `pause` and `stop` can
    /// wake it from `poll`.
    private let wakeRead: Int32
    private let wakeWrite: Int32

    /// A reader of `fd` that calls `deliver` on its own thread for every event.
    package init(fd: Int32 = 0, escapeDelayMs: Int32 = 25, deliver: @escaping @Sendable (TerminalInput) -> Void) {
        self.fd = fd
        self.escapeDelayMs = escapeDelayMs
        self.deliver = deliver
        var fds: [Int32] = [-1, -1]
        _ = pipe(&fds)
        wakeRead = fds[0]
        wakeWrite = fds[1]
    }

    /// Starts the thread.
    package func start() {
        let t = Thread { [self] in run() }
        t.name = "kode-input"
        t.stackSize = 1 << 20
        t.start()
    }

    /// Stops reading until `resume` (an editor or the shell needs the terminal). Returns once the
    /// thread no longer reads.
    package func pause() {
        lock.lock()
        pauseRequested = true
        lock.unlock()
        wake()
        lock.lock()
        while !parked && !stopRequested { lock.wait() }
        lock.unlock()
    }

    /// Reads again after `pause`.
    package func resume() {
        lock.lock()
        pauseRequested = false
        lock.broadcast()
        lock.unlock()
    }

    /// Ends the thread.
    package func stop() {
        lock.lock()
        stopRequested = true
        pauseRequested = false
        lock.broadcast()
        lock.unlock()
        wake()
    }

    private func wake() {
        var b: UInt8 = 0
        _ = write(wakeWrite, &b, 1)
    }

    private func run() {
        var decoder = KeyDecoder()
        var buf = [UInt8](repeating: 0, count: 4096)
        let sigFD = SignalRelay.readFD
        while true {
            lock.lock()
            if stopRequested { lock.unlock(); return }
            if pauseRequested {
                parked = true
                lock.broadcast()
                while pauseRequested && !stopRequested { lock.wait() }
                parked = false
                lock.unlock()
                drain(wakeRead)
                continue
            }
            lock.unlock()

            var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            if sigFD >= 0 { fds.append(pollfd(fd: sigFD, events: Int16(POLLIN), revents: 0)) }
            let timeout: Int32 = decoder.hasPending ? escapeDelayMs : -1
            let n = poll(&fds, nfds_t(fds.count), timeout)
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            if n == 0 {
                for e in decoder.flushPendingEscape() { deliver(.input(e)) }
                continue
            }
            if fds.count > 2, fds[2].revents & Int16(POLLIN) != 0 {
                var sigs = [UInt8](repeating: 0, count: 64)
                let r = read(sigFD, &sigs, sigs.count)
                if r > 0 { for s in sigs[0..<r] { deliver(.signal(Int32(s))) } }
            }
            if fds[1].revents & Int16(POLLIN) != 0 { drain(wakeRead) }
            if fds[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                let r = read(fd, &buf, buf.count)
                if r <= 0 {
                    if r < 0 && (errno == EINTR || errno == EAGAIN) { continue }
                    // The terminal is gone (SSH dropped): report it as a hang-up.
                    deliver(.signal(SIGHUP))
                    return
                }
                for e in decoder.feed(buf[0..<r]) { deliver(.input(e)) }
            }
        }
    }

    private func drain(_ fd: Int32) {
        var tmp = [UInt8](repeating: 0, count: 64)
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        while read(fd, &tmp, tmp.count) > 0 {}
        _ = fcntl(fd, F_SETFL, flags)
    }
}
