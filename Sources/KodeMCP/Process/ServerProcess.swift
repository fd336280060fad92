import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a server's process ended.
enum ServerEnd: Sendable, Hashable, CustomStringConvertible {
    case exited(Int32)
    case closedOutput

    var description: String {
        switch self {
        case .exited(let status): "the server exited (status \(status))"
        case .closedOutput: "the server closed its output"
        }
    }
}

/// A stdio MCP server's process: its stdin (written by a `PipeWriter`), its stdout cut into
/// messages, its stderr cut into lines for the Monitor, and how it ended.
///
/// Readers are threads of their own doing blocking reads: the SDK's stdio transport polls a
/// non-blocking descriptor with 10 ms sleeps, which would put up to 10 ms on every call.
final class ServerProcess: Sendable {
    /// The longest message accepted on stdout (a server sending more without a newline is broken).
    static let messageLimit = 64 << 20
    /// The longest stderr line passed on; the rest of a longer line is dropped.
    static let stderrLineLimit = 4096

    let pid: Int32
    let stderrTail = StderrTail()
    private let writer: PipeWriter
    private let process: Mutex<Process>
    private let exit = ExitWatch()

    /// The exit status and who waits for it; a class, so the termination handler (which runs
    /// on a thread of Foundation's) can hold it.
    private final class ExitWatch: Sendable {
        struct State {
            var status: Int32?
            var outputClosed = false
            var stderrClosed = false
            var waiters: [UUID: CheckedContinuation<ServerEnd?, Never>] = [:]
            var end: ServerEnd? {
                if let status { return .exited(status) }
                return outputClosed ? .closedOutput : nil
            }
        }
        let state = Mutex(State())

        /// Records what happened and wakes everyone waiting for the end.
        func record(_ change: (inout State) -> Void) {
            let (waiters, end) = state.withLock { state in
                change(&state)
                guard let end = state.end else { return ([CheckedContinuation<ServerEnd?, Never>](), ServerEnd?.none) }
                defer { state.waiters.removeAll() }
                return (Array(state.waiters.values), end)
            }
            for waiter in waiters { waiter.resume(returning: end) }
        }
    }

    /// Starts `command` (looked up on PATH) with `arguments` in `workDir`, its environment this
    /// process's plus `environment`. Messages from its stdout go to `messages`; every stderr line
    /// to `onStderr`.
    init(
        command: String, arguments: [String], environment: [String: String], workDir: URL?,
        messages: AsyncThrowingStream<Data, any Error>.Continuation,
        onStderr: @escaping @Sendable (String) -> Void
    ) throws(MCPTransportError) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [command] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, set in set }
        if let workDir { process.currentDirectoryURL = workDir }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        let exit = self.exit
        process.terminationHandler = { finished in
            let status = finished.terminationStatus
            exit.record { $0.status = status }
        }
        do {
            try process.run()
        } catch {
            throw .launchFailed("\(command): \(error.localizedDescription)")
        }
        pid = process.processIdentifier
        // Our copies of the child's ends must go, or end of file never comes.
        try? stdin.fileHandleForReading.close()
        try? stdout.fileHandleForWriting.close()
        try? stderr.fileHandleForWriting.close()
        writer = PipeWriter(fd: dup(stdin.fileHandleForWriting.fileDescriptor))
        try? stdin.fileHandleForWriting.close()
        self.process = Mutex(process)

        let tail = stderrTail
        let reader = OutputReader(
            stdout: dup(stdout.fileHandleForReading.fileDescriptor), stderr: dup(stderr.fileHandleForReading.fileDescriptor),
            message: { line in if !line.isEmpty { messages.yield(Data(line)) } },
            stdoutEnded: { [exit] in
                // Its output closing is the end of the server as far as calls go: Foundation's
                // termination handler was seen to come late (or not at all) for a child with
                // children of its own, and a call must not wait for it.
                exit.record { $0.outputClosed = true }
                messages.finish(throwing: MCPTransportError.closed)
            },
            stderrLine: { line in
                let text = String(decoding: line, as: UTF8.self)
                tail.append(text)
                onStderr(text)
            },
            stderrEnded: { [exit] in exit.state.withLock { $0.stderrClosed = true } })
        reader.start()
        try? stdout.fileHandleForReading.close()
        try? stderr.fileHandleForReading.close()
    }

    /// Sends one message (a newline is added).
    func send(_ message: Data) async throws {
        var bytes = [UInt8](message)
        bytes.append(UInt8(ascii: "\n"))
        try await writer.write(bytes)
    }

    /// The exit status, once the process ended.
    var exitStatus: Int32? { exit.state.withLock { $0.status } }

    /// Waits (at most `limit`) until everything the server wrote to stderr has been read: a
    /// server that crashes usually says why just before, and the reader thread may not have
    /// caught up when its stdout closed. Only on the failure path, so a short wait is fine.
    func stderrDrained(within limit: Duration = .seconds(2)) async {
        let deadline = ContinuousClock.now + limit
        while !exit.state.withLock({ $0.stderrClosed }) && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// How the server ended, if it did (exited, or closed its output).
    var end: ServerEnd? { exit.state.withLock { $0.end } }

    /// Ends the server as the MCP specification asks: close its stdin, give it `grace` to exit,
    /// then SIGTERM, then SIGKILL.
    func stop(grace: Duration = .seconds(2)) async {
        writer.close()
        if await exited(within: grace) { return }
        kill(pid, SIGTERM)
        if await exited(within: grace) { return }
        kill(pid, SIGKILL)
        _ = await exited(within: .seconds(10))
    }

    /// Whether the process exited within `limit` (an output that closed does not count: the
    /// process may still run, and must then be signalled).
    private func exited(within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while exitStatus == nil {
            guard ContinuousClock.now < deadline else { return false }
            // Stopping is rare and short; a coarse wait keeps it simple and never blocks a thread.
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    /// Waits until the server ended (exited, or closed its output); nil when the waiting task is
    /// cancelled first.
    func ended() async -> ServerEnd? {
        let id = UUID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<ServerEnd?, Never>) in
                let done = exit.state.withLock { state -> ServerEnd?? in
                    if let end = state.end { return .some(end) }
                    if Task.isCancelled { return .some(nil) }
                    state.waiters[id] = continuation
                    return nil
                }
                if let done { continuation.resume(returning: done) }
            }
        } onCancel: {
            let waiter = exit.state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(returning: nil)
        }
    }
}
