import Foundation
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
public final class RunningProcess: Sendable {
    /// What the child has printed so far, appended to by the two reader threads.
    private struct Captured {
        var stdout = Data()
        var stderr = Data()
    }

    private let process = Process()
    private let out = Pipe()
    private let err = Pipe()
    private let group = DispatchGroup()
    private let captured = Mutex(Captured())

    public init(executable: URL, arguments: [String], stdin: String?, environment: [String: String]) throws {
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        collect(out.fileHandleForReading, into: \.stdout)
        collect(err.fileHandleForReading, into: \.stderr)
    }

    /// Reads `handle` to its end on a thread of its own (`availableData` blocks).
    private func collect(_ handle: FileHandle, into stream: WritableKeyPath<Captured, Data> & Sendable) {
        group.enter()
        Thread.detachNewThread { [self] in
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                captured.withLock { $0[keyPath: stream].append(data) }
            }
            group.leave()
        }
    }

    /// The process id.
    public var pid: Int32 { process.processIdentifier }

    /// True once the process has exited.
    public var hasExited: Bool { !process.isRunning }

    /// Output so far.
    public var stdoutSoFar: String {
        String(decoding: captured.withLock { $0.stdout }, as: UTF8.self)
    }

    /// Standard error so far.
    public var stderrSoFar: String {
        String(decoding: captured.withLock { $0.stderr }, as: UTF8.self)
    }

    /// Sends a signal.
    public func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the exit (killing the process after `timeout`) and returns what it printed.
    public func finish(timeout: Duration = .seconds(60)) async throws -> KodeCLI.Result {
        let deadline = ContinuousClock.now + timeout
        // Foundation's Process was seen to miss the exit of a child that had started children of
        // its own (a host with a tool running, killed): the child stayed a zombie. Reaping it
        // here as well makes the exit seen either way.
        var reaped: Int32?
        while process.isRunning {
            var status: Int32 = 0
            if waitpid(process.processIdentifier, &status, WNOHANG) == process.processIdentifier {
                reaped = status
                break
            }
            if ContinuousClock.now > deadline {
                signal(SIGKILL)
                throw TestTimeout(what: "kode \(process.arguments ?? []) did not finish within \(timeout); output: \(stdoutSoFar)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        if reaped == nil { process.waitUntilExit() }
        // The readers end at end of file, which a grandchild holding the pipes (a tool the child
        // started, orphaned by a kill) can put off for as long as it runs: wait a bounded time,
        // without holding a thread of the cooperative pool, then take what was read by then.
        let drained = ContinuousClock.now + .seconds(10)
        while group.wait(timeout: .now()) == .timedOut, ContinuousClock.now < drained {
            try await Task.sleep(for: .milliseconds(5))
        }
        let (out, err) = captured.withLock { ($0.stdout, $0.stderr) }
        // WIFEXITED / WEXITSTATUS by hand: the macros are not imported.
        let status = reaped.map { $0 & 0x7F == 0 ? ($0 >> 8) & 0xFF : 128 + ($0 & 0x7F) } ?? process.terminationStatus
        let killed = reaped.map { $0 & 0x7F != 0 } ?? (process.terminationReason == .uncaughtSignal)
        return KodeCLI.Result(
            status: status,
            stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: err, as: UTF8.self),
            killed: killed)
    }

}
