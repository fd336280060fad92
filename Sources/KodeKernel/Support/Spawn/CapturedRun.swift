import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a short program (the sandbox probe, `git`) to its end and returns what it printed.
///
/// Not Foundation's `Process`: its pipes are not close-on-exec, so a child another thread
/// spawns meanwhile without closing what it inherits keeps their write ends and the read to end of file waits as long as that
/// child lives. Here the pipes are close-on-exec, the child keeps only its
/// three standard descriptors (`SpawnFileActions.closeInherited`), and both outputs are read
/// as they come, so neither pipe fills and stalls the child. The wait is bounded: a child still
/// running after `limit` is killed, and pipes a grandchild holds after the child's exit are
/// given up after two seconds.
package enum CapturedRun {
    /// How a run ended and what it printed.
    package struct Output: Sendable {
        /// The exit status; 128 + the signal's number when a signal ended it.
        package var status: Int32
        package var stdout: Data
        package var stderr: Data
    }

    /// Runs `executable` (a path, or a name looked up on `PATH`) with `arguments`, stdin from
    /// /dev/null, in this process's environment.
    package static func run(_ executable: String, _ arguments: [String], limit: Duration = .seconds(60)) throws -> Output {
        let path = executable.contains("/") ? executable : try lookUp(executable)
        guard let out = ClosingPipe.make() else { throw failure(executable, "pipe") }
        guard let err = ClosingPipe.make() else {
            close(out.read); close(out.write)
            throw failure(executable, "pipe")
        }

        let spawned = Spawn.start([path] + arguments, environment: ProcessInfo.processInfo.environment) { actions in
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            // dup2 clears close-on-exec on the copy the child keeps.
            posix_spawn_file_actions_adddup2(&actions, out.write, 1)
            posix_spawn_file_actions_adddup2(&actions, err.write, 2)
            return 0
        }
        close(out.write)
        close(err.write)
        let pid: pid_t
        switch spawned {
        case .success(let started): pid = started
        case .failure(let failure):
            close(out.read); close(err.read)
            throw self.failure(executable, failure.description)
        }
        var status: Int32?
        let deadline = ContinuousClock.now + limit
        let (stdout, stderr) = readBoth(out.read, err.read, until: deadline) {
            if status == nil { status = reaped(pid) }
            return status != nil
        }
        // Its outputs ended; the exit follows at once (or the limit passed).
        while status == nil, ContinuousClock.now < deadline {
            usleep(500)
            status = reaped(pid)
        }
        if status == nil {
            // Past the limit and still running: it is killed, and the run fails.
            kill(pid, SIGKILL)
            _ = wait(pid)
            throw self.failure(executable, "did not finish within \(limit) and was killed")
        }
        // WIFEXITED / WEXITSTATUS by hand: the macros are not imported.
        let raw = status ?? 0
        let exitStatus = raw & 0x7F == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
        return Output(status: exitStatus, stdout: stdout, stderr: stderr)
    }

    /// The child's raw status if it has exited (reaping it), else nil.
    private static func reaped(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return status }
            if result == 0 { return nil }
            if errno != EINTR { return 255 << 8 }  // reaped by someone else: the status is lost
        }
    }

    /// Waits for the child and reaps it.
    private static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }

    /// Reads both descriptors until both end, then closes them — or until `exited` says the
    /// child is gone and two more seconds passed (a grandchild, a hook git started, can hold
    /// the pipes for as long as it runs), or until `deadline`.
    private static func readBoth(_ first: Int32, _ second: Int32, until deadline: ContinuousClock.Instant, exited: () -> Bool) -> (Data, Data) {
        var data = [Data(), Data()]
        var open = [first, second]
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var drained: ContinuousClock.Instant?
        while open.contains(where: { $0 >= 0 }) {
            let now = ContinuousClock.now
            if let drained, now > drained { break }
            if now > deadline { break }
            if drained == nil, exited() { drained = now + .seconds(2) }
            var polled = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            // A tenth of a second at most, so the child's exit and the limits are noticed.
            if poll(&polled, nfds_t(polled.count), 100) < 0 {
                if errno == EINTR { continue }
                break
            }
            for index in open.indices where open[index] >= 0 && polled[index].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(open[index], $0.baseAddress, $0.count) }
                if count > 0 {
                    data[index].append(contentsOf: buffer[0..<count])
                } else if count == 0 || errno != EINTR {
                    close(open[index])
                    open[index] = -1
                }
            }
        }
        for fd in open where fd >= 0 { close(fd) }
        return (data[0], data[1])
    }

    private static func lookUp(_ name: String) throws -> String {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        // As `env` looks a name up: executable regular files only, empty entries skipped.
        let candidates: [String] = directories.filter { !$0.isEmpty }.map { "\($0)/\(name)" }
        guard let found = candidates.first(where: { path in
            var info = stat()
            return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && access(path, X_OK) == 0
        }) else {
            throw failure(name, "not found on PATH")
        }
        return found
    }

    private static func failure(_ executable: String, _ detail: String) -> CapturedRunError {
        CapturedRunError(description: "cannot run \(executable): \(detail)")
    }
}

/// A program `CapturedRun` could not start.
package struct CapturedRunError: Error, CustomStringConvertible {
    package var description: String
}
