import Foundation
import KodeKernel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Signal handlers may only call async-signal-safe functions, so they touch nothing but these
// preallocated globals: a pipe to wake the input reader, the saved terminal modes and a fixed
// byte string that puts the terminal back.
nonisolated(unsafe) private var relayWriteFD: Int32 = -1
nonisolated(unsafe) private var savedTermios = termios()
nonisolated(unsafe) private var haveSavedTermios = false
nonisolated(unsafe) private var restoreBytes: UnsafeMutablePointer<UInt8>?
nonisolated(unsafe) private var restoreCount = 0

/// Turns signals into bytes on a pipe the input reader polls, and puts the terminal back on a
/// crash signal before the process dies.
///
/// - SIGWINCH, SIGTSTP, SIGCONT, SIGHUP, SIGTERM, SIGINT: relayed to the UI loop (resize,
///   suspend, re-init after `fg`, and a graceful exit that closes the agent).
/// - SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP: the terminal modes are restored
///   (tcsetattr, leave the alternate screen, show the cursor, bracketed paste off), then the
///   signal is re-raised with its default action, so the exit status and core dump stay honest.
package enum SignalRelay {
    /// Signals relayed to the loop.
    package static let relayed: [Int32] = [SIGWINCH, SIGTSTP, SIGCONT, SIGHUP, SIGTERM, SIGINT]
    /// Signals that mean the process is dying.
    package static let fatal: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]

    /// The read end of the pipe (one byte per signal: the signal number).
    package private(set) static nonisolated(unsafe) var readFD: Int32 = -1

    /// Saves the terminal modes of `fd` and installs the handlers. Call before curses starts.
    package static func install(terminalFD fd: Int32 = 0) {
        if let (read, write) = ClosingPipe.make() {
            _ = fcntl(read, F_SETFL, fcntl(read, F_GETFL) | O_NONBLOCK)
            _ = fcntl(write, F_SETFL, fcntl(write, F_GETFL) | O_NONBLOCK)
            readFD = read
            relayWriteFD = write
        }
        if tcgetattr(fd, &savedTermios) == 0 { haveSavedTermios = true }
        // Mouse reporting off too (harmless when it was never on): a crashed app must not leave
        // the shell receiving mouse reports.
        let seq = Array("\u{1b}[?2004l\u{1b}[?1006l\u{1b}[?1000l\u{1b}[0m\u{1b}[?25h\u{1b}[?1049l\r\n".utf8)
        let buf = UnsafeMutablePointer<UInt8>.allocate(capacity: seq.count)
        buf.initialize(from: seq, count: seq.count)
        restoreBytes = buf
        restoreCount = seq.count

        for sig in relayed {
            installRelayHandler(for: sig)
        }
        for sig in fatal {
            installHandler(for: sig, flags: Int32(bitPattern: UInt32(truncatingIfNeeded: SA_RESETHAND))) { sig in
                SignalRelay.restoreTerminalFromSignal()
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
    }

    /// Puts the saved terminal modes back and leaves the alternate screen. Async-signal-safe.
    package static func restoreTerminalFromSignal() {
        if let bytes = restoreBytes { _ = write(1, bytes, restoreCount) }
        if haveSavedTermios { _ = tcsetattr(0, TCSAFLUSH, &savedTermios) }
    }

    /// Restores the saved modes (normal exit path, after curses has ended).
    package static func restoreTerminalModes() {
        if haveSavedTermios { _ = tcsetattr(0, TCSAFLUSH, &savedTermios) }
    }

    /// Puts the default actions back (after the app has exited its loop).
    package static func uninstall() {
        for sig in relayed + fatal { signal(sig, SIG_DFL) }
    }

    /// Stops this process the way Ctrl+Z would, after the caller gave the terminal back.
    /// Returns when the shell continues it (`fg`).
    package static func stopSelf() {
        signal(SIGTSTP, SIG_DFL)
        // Process-directed, not `raise`: the calling thread may be a worker with SIGTSTP blocked.
        // The stop lands on another thread asynchronously; sleeping here means this thread is
        // frozen mid-sleep by the stop and only returns after SIGCONT, with the default action
        // still in place when the signal is delivered.
        kill(getpid(), SIGTSTP)
        usleep(100_000)
        // Continued: reinstall the relay for the next Ctrl+Z.
        installRelayHandler(for: SIGTSTP)
    }

    /// Relays `sig` as one byte on the pipe, restarting interrupted system calls.
    private static func installRelayHandler(for sig: Int32) {
        installHandler(for: sig, flags: SA_RESTART) { sig in
            var b = UInt8(truncatingIfNeeded: sig)
            _ = write(relayWriteFD, &b, 1)
        }
    }

    /// `sigaction(sig)` with `handler`, nothing masked. The handler field is spelled differently
    /// per C library: glibc's union is `__sigaction_handler`, Darwin's is `__sigaction_u`.
    private static func installHandler(for sig: Int32, flags: Int32, _ handler: @convention(c) (Int32) -> Void) {
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = handler
        #else
        action.__sigaction_u.__sa_handler = handler
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = flags
        sigaction(sig, &action, nil)
    }
}
