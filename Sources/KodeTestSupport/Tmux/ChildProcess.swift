import Foundation
import KodeKernel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a program to completion with posix_spawn and waitpid, output captured through a file.
///
/// Foundation's `Process` was seen to miss the exit of a tmux client that forks the tmux server
/// (the client stayed a zombie and `waitUntilExit` never returned), so the tmux driver spawns
/// and reaps its children itself.
///
/// The wait is bounded: a child still running after `timeout` is killed and the run fails with
/// what it printed. The caller's thread is held meanwhile (these are short commands: tmux, `kode
/// agents`), and a child that never ends must not hold one of the cooperative pool's two threads
/// for ever — with both held, every test of the process stops.
public enum ChildProcess {
    /// The exit status and the combined stdout and stderr of `executable args…`.
    public static func run(
        _ executable: String, _ args: [String], environment: [String: String]? = nil,
        timeout: Duration = .seconds(120)
    ) throws -> (status: Int32, output: String) {
        let outDir = try TemporaryDirectory(prefix: "kode-child")
        let outPath = outDir.appending("output").path
        // A tmux client forks its server, which lives until the test ends: `Spawn` closes what
        // it would inherit of the test process (another child's pipe, a socket) for as long.
        let env = childEnvironment(environment ?? ProcessInfo.processInfo.environment)
        let spawned = Spawn.start([executable] + args, environment: env) { actions in
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
            return 0
        }
        let pid: pid_t
        switch spawned {
        case .success(let started): pid = started
        case .failure(let failure): throw TmuxDriver.Failure(description: "cannot start \(executable): \(failure)")
        }
        let deadline = ContinuousClock.now + timeout
        var status: Int32 = 0
        var pause: useconds_t = 200
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { break }
            if reaped < 0 && errno != EINTR {
                status = 255 << 8  // reaped by someone else: the status is lost; say "exited 255"
                break
            }
            if ContinuousClock.now > deadline {
                kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                let output = (try? String(contentsOf: outDir.appending("output"), encoding: .utf8)) ?? ""
                throw TmuxDriver.Failure(description: "\(executable) \(args.joined(separator: " ")) did not finish within \(timeout) and was killed; output: \(output.suffix(2000))")
            }
            // Most of these children end within a few milliseconds: short pauses first.
            usleep(pause)
            pause = min(pause * 2, 20_000)
        }
        // Read through `outDir` (not `outPath`) so the directory lives until the output is read.
        let output = (try? String(contentsOf: outDir.appending("output"), encoding: .utf8)) ?? ""
        // WIFEXITED / WEXITSTATUS by hand: the macros are not imported.
        let exited = status & 0x7F == 0
        return (exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F), output)
    }
}
