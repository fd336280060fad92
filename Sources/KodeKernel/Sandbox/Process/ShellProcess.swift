import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One running `/bin/bash -c` command in its own process group.
///
/// Two plain threads do the blocking work: one reads the output pipe (so a chatty command can
/// never fill the pipe and stall), one waits for the shell to exit. When the shell exits, whatever
/// it left running in its group is killed, so a forgotten `sleep 999 &` cannot keep the pipe open
/// (run it with `background: true` to keep it). Everything that changes is in one `Mutex`.
public final class ShellProcess: Sendable {
    /// The shell's pid, which is also the id of its process group.
    public let pid: pid_t
    /// The command line as given.
    public let command: String
    /// When it was started.
    public let startedAt: Date
    /// The line naming the sandbox, for the model when the command failed on a refusal; nil when unconfined.
    let sandboxNote: String?

    private struct State {
        var buffer: OutputBuffer
        var exitStatus: ShellExitStatus?
        var exitedAt: Date?
        var readerFinished = false
        var stopReason: String?
        var waiters: [CheckedContinuation<Void, Never>] = []

        var isFinished: Bool { exitStatus != nil && readerFinished }
    }

    private let state: Mutex<State>

    /// How long output may still arrive after the shell exited (from processes that left the group).
    private static let drainGrace: TimeInterval = 1.0

    /// Starts `command` in `workDir` as `launch` says. `outputLimit` bounds the bytes kept in
    /// memory; `keep` says which end survives.
    init(command: String, workDir: URL, launch: ShellLaunch = .plain, outputLimit: Int, keep: OutputBuffer.Keep) throws {
        let (pid, fd) = try ShellSpawn.launch(command: command, workDir: workDir, launch: launch)
        self.pid = pid
        self.command = command
        self.startedAt = Date()
        self.sandboxNote = launch.note
        self.state = Mutex(State(buffer: OutputBuffer(limit: outputLimit, keep: keep)))
        startReader(fd: fd)
        startWaiter()
    }

    // MARK: Observing

    /// The exit status, once the shell has exited.
    public var status: ShellExitStatus? {
        state.withLock { $0.exitStatus }
    }

    /// Why the process was stopped by us (`timed out after 2 s`, `killed by bash_kill`, …), if it was.
    public var stoppedBecause: String? {
        state.withLock { $0.stopReason }
    }

    /// True once the shell has exited and its output has been read to the end.
    public var isFinished: Bool {
        state.withLock { $0.isFinished }
    }

    /// Suspends until the shell has exited and all its output is read.
    public func waitUntilFinished() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { s -> Bool in
                if s.isFinished { return true }
                s.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Takes up to `maxBytes` of the output not yet taken.
    func takeOutput(maxBytes: Int) -> (text: String, droppedBefore: Int, remaining: Int) {
        let taken = state.withLock { $0.buffer.take(maxBytes: maxBytes) }
        return (String(decoding: taken.bytes, as: UTF8.self), taken.droppedBefore, taken.remaining)
    }

    // MARK: Stopping

    /// Kills the whole process group with SIGKILL and records why. Does nothing once the shell has exited.
    ///
    /// SIGKILL rather than SIGTERM-then-wait: an interrupt or timeout must stop things promptly,
    /// and a shell script cannot trap SIGKILL to linger.
    public func terminate(reason: String) {
        state.withLock { s in
            guard s.exitStatus == nil else { return }
            if s.stopReason == nil { s.stopReason = reason }
            // The group first; the pid too in case the group could not be formed.
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
        }
    }

    /// Kills the group after `seconds` unless the shell has exited by then.
    func terminate(after seconds: Double, reason: String) {
        // Weak, so a finished process is not kept alive until a ten-minute timer fires.
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [weak self] in
            self?.terminate(reason: reason)
        }
    }

    // MARK: Threads

    private func startReader(fd: Int32) {
        let thread = Thread { [self] in
            readLoop(fd: fd)
            close(fd)
            finish { $0.readerFinished = true }
        }
        thread.name = "kode.shell.reader.\(pid)"
        thread.start()
    }

    private func readLoop(fd: Int32) {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 100)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if ready == 0 {
                if drainDeadlinePassed() { return }
                continue
            }
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                let bytes = chunk[0..<count]
                state.withLock { $0.buffer.append(bytes) }
            } else if count == 0 {
                return
            } else if errno != EINTR && errno != EAGAIN {
                return
            }
        }
    }

    private func drainDeadlinePassed() -> Bool {
        state.withLock { s in
            guard let exitedAt = s.exitedAt else { return false }
            return Date().timeIntervalSince(exitedAt) > Self.drainGrace
        }
    }

    private func startWaiter() {
        let thread = Thread { [self] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let exit = ShellExitStatus(waitStatus: status)
            finish { state in
                state.exitStatus = exit
                state.exitedAt = Date()
                // Leftovers in the group would hold the pipe open; the shell is gone, so they go too.
                kill(-pid, SIGKILL)
            }
        }
        thread.name = "kode.shell.waiter.\(pid)"
        thread.start()
    }

    /// Applies `change` under the lock and wakes the waiters if the process is now finished.
    private func finish(_ change: (inout State) -> Void) {
        let ready = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            change(&s)
            guard s.isFinished else { return [] }
            defer { s.waiters.removeAll() }
            return s.waiters
        }
        ready.forEach { $0.resume() }
    }
}
