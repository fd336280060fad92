import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts `/bin/bash -c command` (behind the launcher that confines it, when there is one) as the
/// leader of a new process group, with stdin from
/// `/dev/null` and stdout and stderr sharing one pipe (so the two streams interleave in the order
/// they were written).
///
/// `posix_spawn` with `POSIX_SPAWN_SETPGROUP` is used rather than Foundation's `Process`, because
/// `Process` on Linux does not promise a new process group, and only a group lets us kill the
/// grandchildren too (`sleep 30 & wait`).
enum ShellSpawn {
    /// Serialises pipe creation and spawning inside this process, so no other spawn of ours can
    /// inherit a pipe end in the instant before `FD_CLOEXEC` is set on it.
    private static let spawnLock = Mutex(())

    /// The shell every command runs in.
    static let shellPath = "/bin/bash"

    /// Returns the child's pid (which is also its process-group id) and the read end of its output pipe.
    static func launch(command: String, workDir: URL, launch: ShellLaunch = .plain) throws -> (pid: pid_t, outputFD: Int32) {
        try spawnLock.withLock { _ in try launchLocked(command: command, workDir: workDir, launch: launch) }
    }

    /// `launch` with `spawnLock` held.
    private static func launchLocked(command: String, workDir: URL, launch: ShellLaunch) throws -> (pid: pid_t, outputFD: Int32) {
        guard let (readEnd, writeEnd) = ClosingPipe.make() else {
            throw SandboxError.spawnFailed(command: command, detail: "pipe: \(errnoText())")
        }

        // The environment is built from ProcessInfo rather than `environ`, which Swift does not
        // import on every platform. `Spawn` closes everything of this process the child would
        // inherit beyond the three below: an inherited pipe end would outlive the command's turn.
        let variables = ProcessInfo.processInfo.environment.merging(launch.environment) { _, set in set }
        var chdirFailed = false
        // A new group led by the child (`Spawn` also clears the signal mask and resets ignored
        // signals, so `yes | head` ends).
        let spawned = Spawn.start(launch.prefix + [shellPath, "-c", command], environment: variables, newProcessGroup: true) { actions in
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            // dup2 clears FD_CLOEXEC on the target, so the child keeps 1 and 2 and loses the originals.
            posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
            posix_spawn_file_actions_adddup2(&actions, writeEnd, 2)
            let status = SpawnFileActions.changeDirectory(&actions, workDir.path)
            chdirFailed = status != 0
            return status
        }
        close(writeEnd)
        switch spawned {
        case .success(let pid):
            return (pid, readEnd)
        case .failure(let failure):
            close(readEnd)
            let detail = chdirFailed ? "cannot set working directory \(workDir.path): \(failure)" : failure.description
            throw SandboxError.spawnFailed(command: command, detail: detail)
        }
    }

    static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
