import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a server's stdout and stderr on one thread of its own, with blocking `poll`, and always
/// drains stderr before it passes on what stdout brought: a line the server wrote to stderr
/// before its answer is then reported before that answer, so it goes out with that call's result
/// (two readers racing each other would sometimes hand it to the next call).
struct OutputReader: Sendable {
    let stdout: Int32
    let stderr: Int32
    let message: @Sendable ([UInt8]) -> Void
    let stdoutEnded: @Sendable () -> Void
    let stderrLine: @Sendable ([UInt8]) -> Void
    let stderrEnded: @Sendable () -> Void

    func start() {
        let thread = Thread { run() }
        thread.name = "kode-mcp-output"
        thread.start()
    }

    private func run() {
        var out = LineSplitter(limit: ServerProcess.messageLimit)
        var err = LineSplitter(limit: ServerProcess.stderrLineLimit)
        var outOpen = true, errOpen = true
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)

        /// One read of `fd`: its lines, or nil at its end.
        func readOnce(_ fd: Int32, _ splitter: inout LineSplitter) -> [[UInt8]]? {
            while true {
                let count = buffer.withUnsafeMutableBytes { SystemCall.read(fd, $0.baseAddress!, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { return nil }
                return buffer.withUnsafeBytes { splitter.append(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
            }
        }
        func closeStderr() {
            if let rest = err.finish() { stderrLine(rest) }
            SystemCall.close(stderr)
            errOpen = false
            stderrEnded()
        }
        /// Everything stderr holds right now.
        func drainStderr() {
            while errOpen {
                var probe = pollfd(fd: stderr, events: Int16(POLLIN), revents: 0)
                guard poll(&probe, 1, 0) > 0 else { return }
                guard let lines = readOnce(stderr, &err) else { closeStderr(); return }
                for line in lines { stderrLine(line) }
            }
        }

        while outOpen || errOpen {
            // A closed descriptor is left out as -1, which poll ignores.
            var fds = [pollfd(fd: outOpen ? stdout : -1, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: errOpen ? stderr : -1, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            drainStderr()
            if outOpen && fds[0].revents != 0 {
                if let lines = readOnce(stdout, &out) {
                    for line in lines { message(line) }
                } else {
                    if let rest = out.finish() { message(rest) }
                    SystemCall.close(stdout)
                    outOpen = false
                    // The server exited or closed its output: what it said last on stderr is
                    // read before the end is reported.
                    drainStderr()
                    stdoutEnded()
                }
            }
        }
        if outOpen { SystemCall.close(stdout); stdoutEnded() }
        if errOpen { closeStderr() }
    }
}
