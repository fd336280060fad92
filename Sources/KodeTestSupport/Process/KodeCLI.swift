import Foundation
import KodeKernel
import Synchronization

/// Runs the real `kode` binary (built by `swift build`) as a child process.
public enum KodeCLI {
    /// What a finished run left behind.
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// True when the process was killed by a signal rather than exiting.
        public var killed: Bool

        /// The agent id from the first stderr line (`agent: ID`).
        public var agentId: String? {
            guard let first = stderr.split(separator: "\n").first, first.hasPrefix("agent: ") else { return nil }
            return String(first.dropFirst("agent: ".count))
        }

        /// stdout split into non-empty lines.
        public var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    /// The binary: `$KODE_BINARY`, else `.build/debug/kode` in this package.
    public static func binary(named name: String = "kode") throws -> URL {
        if name == "kode", let path = ProcessInfo.processInfo.environment["KODE_BINARY"] {
            return URL(fileURLWithPath: path)
        }
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for configuration in ["debug", "release"] {
            let candidate = root.appendingPathComponent(".build/\(configuration)/\(name)")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw TestTimeout(what: "the \(name) binary is not built: run 'swift build' first (or set KODE_BINARY)")
    }

    /// Runs `kode args…` to completion (or kills it after `timeout`).
    public static func run(
        _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
        timeout: Duration = .seconds(60)
    ) async throws -> Result {
        let process = try start(arguments, stdin: stdin, environment: environment)
        return try await process.finish(timeout: timeout)
    }

    /// Starts `kode args…` and returns at once.
    public static func start(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> RunningProcess {
        try RunningProcess(executable: binary(), arguments: arguments, stdin: stdin, environment: environment)
    }
}

/// A child process whose output is collected in the background.
///
/// Spawned with `Spawn` and reaped with `waitpid` rather than run by Foundation's `Process`:
/// its pipes are close-on-exec and closed exactly once here, and the child keeps nothing else of
/// the test process. (Foundation was seen to miss the exit of a child that had started children
/// of its own, and a run of the room and CLI suites in one process once failed with a room log's
/// descriptor closed under it, which Foundation's pipe handling was suspected of.)
public final class RunningProcess: Sendable {
    /// What the child has printed so far, appended to by the two reader threads.
    private struct Captured {
        var stdout = Data()
        var stderr = Data()
    }

    private let arguments: [String]
    /// The process id.
    public let pid: Int32
    private let group = DispatchGroup()
    private let captured = Mutex(Captured())
    /// The raw `waitpid` status once the child was reaped.
    private let exitStatus = Mutex<Int32?>(nil)

    public init(executable: URL, arguments: [String], stdin: String?, environment: [String: String]) throws {
        self.arguments = arguments
        _ = Self.pipesDoNotSignal
        var env = childEnvironment(ProcessInfo.processInfo.environment)
        for (key, value) in environment { env[key] = value }
        var opened: [Int32] = []
        func pipe() throws -> (read: Int32, write: Int32) {
            guard let ends = ClosingPipe.make() else {
                for fd in opened { close(fd) }
                throw TestTimeout(what: "pipe: \(String(cString: strerror(errno)))")
            }
            opened += [ends.read, ends.write]
            return ends
        }
        let input = try pipe(), out = try pipe(), err = try pipe()
        let spawned = Spawn.start([executable.path] + arguments, environment: env) { actions in
            posix_spawn_file_actions_adddup2(&actions, input.read, 0)
            posix_spawn_file_actions_adddup2(&actions, out.write, 1)
            posix_spawn_file_actions_adddup2(&actions, err.write, 2)
            return 0
        }
        close(input.read)
        close(out.write)
        close(err.write)
        switch spawned {
        case .success(let started): pid = started
        case .failure(let failure):
            for fd in [input.write, out.read, err.read] { close(fd) }
            throw TestTimeout(what: "cannot start \(executable.path): \(failure)")
        }
        // Readers first: a child that prints a lot before it reads its input must not stall.
        collect(out.read, into: \.stdout)
        collect(err.read, into: \.stderr)
        awaitExit()
        if let stdin { Self.writeAll(Array(stdin.utf8), to: input.write) }
        close(input.write)
    }

    /// A child that exits without reading its input must not kill the test process with
    /// SIGPIPE: ignored once, for the whole process (`Spawn` gives children the default back).
    private static let pipesDoNotSignal: Void = {
        ignoreSIGPIPE()
    }()

    /// Reaps the child the moment it exits, on a thread of its own: a zombie still answers
    /// `kill(pid, 0)`, so `kode serve --stop` waiting for a host this process started would
    /// otherwise wait until the test got round to `finish()`. The exit is awaited without
    /// reaping (`WNOWAIT`) and reaped under the lock `signal(_:)` takes, so a signal never
    /// reaches a pid the system may have given to another process.
    private func awaitExit() {
        Thread.detachNewThread { [self] in
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 {
                guard errno == EINTR else { break }
            }
            exitStatus.withLock { known in
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0 {
                    guard errno == EINTR else {
                        // Reaped by someone else: the status is lost; say "exited 255".
                        status = 255 << 8
                        break
                    }
                }
                known = status
            }
        }
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }

    /// Reads `fd` to its end on a thread of its own, then closes it.
    private func collect(_ fd: Int32, into stream: WritableKeyPath<Captured, Data> & Sendable) {
        group.enter()
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 16 * 1024)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                captured.withLock { $0[keyPath: stream].append(contentsOf: buffer[0..<count]) }
            }
            close(fd)
            group.leave()
        }
    }

    /// The raw `waitpid` status once the child has exited and was reaped.
    private func reap() -> Int32? {
        exitStatus.withLock { $0 }
    }

    /// True once the process has exited.
    public var hasExited: Bool { reap() != nil }

    /// Output so far.
    public var stdoutSoFar: String {
        String(decoding: captured.withLock { $0.stdout }, as: UTF8.self)
    }

    /// Standard error so far.
    public var stderrSoFar: String {
        String(decoding: captured.withLock { $0.stderr }, as: UTF8.self)
    }

    /// Sends a signal (not to a process that was reaped: its pid may name another by now).
    public func signal(_ signal: Int32) {
        exitStatus.withLock { known in
            if known == nil { _ = kill(pid, signal) }
        }
    }

    /// Waits for the exit (killing the process after `timeout`) and returns what it printed.
    public func finish(timeout: Duration = .seconds(60)) async throws -> KodeCLI.Result {
        let deadline = ContinuousClock.now + timeout
        var status = reap()
        while status == nil {
            if ContinuousClock.now > deadline {
                signal(SIGKILL)
                throw TestTimeout(what: "\(arguments) did not finish within \(timeout); output: \(stdoutSoFar)")
            }
            try await Task.sleep(for: .milliseconds(10))
            status = reap()
        }
        // The readers end at end of file, which a grandchild holding the pipes (a tool the child
        // started, orphaned by a kill) can put off for as long as it runs: wait a bounded time,
        // without holding a thread of the cooperative pool, then take what was read by then.
        let drained = ContinuousClock.now + .seconds(10)
        while group.wait(timeout: .now()) == .timedOut, ContinuousClock.now < drained {
            try await Task.sleep(for: .milliseconds(5))
        }
        let (out, err) = captured.withLock { ($0.stdout, $0.stderr) }
        let raw = status ?? 0
        // WIFEXITED / WEXITSTATUS by hand: the macros are not imported.
        let killed = raw & 0x7F != 0
        return KodeCLI.Result(
            status: killed ? 128 + (raw & 0x7F) : (raw >> 8) & 0xFF,
            stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: err, as: UTF8.self),
            killed: killed)
    }
}

/// The C library's `signal`, outside the class whose member shares its name.
private func ignoreSIGPIPE() { _ = signal(SIGPIPE, SIG_IGN) }
