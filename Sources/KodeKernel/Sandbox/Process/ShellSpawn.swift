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
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw SandboxError.spawnFailed(command: command, detail: "pipe: \(errnoText())") }
        let readEnd = fds[0], writeEnd = fds[1]
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)

        #if canImport(Glibc)
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #else
        var actions: posix_spawn_file_actions_t?
        var attributes: posix_spawnattr_t?
        #endif
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }

        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        // dup2 clears FD_CLOEXEC on the target, so the child keeps 1 and 2 and loses the originals.
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 2)
        let chdirStatus = SpawnFileActions.changeDirectory(&actions, workDir.path)
        guard chdirStatus == 0 else {
            close(readEnd); close(writeEnd)
            throw SandboxError.spawnFailed(command: command, detail: "cannot set working directory \(workDir.path): \(String(cString: strerror(chdirStatus)))")
        }

        // Nothing else of this process: an inherited pipe end would outlive the command's turn.
        SpawnFileActions.closeInherited(&actions)

        // A new group led by the child; default signal dispositions and an empty mask, so a
        // runtime that ignores SIGPIPE does not pass that on to `yes | head`.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)

        let arguments = launch.prefix + [shellPath, "-c", command]
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }

        // The environment is built from ProcessInfo rather than `environ`, which Swift does not
        // import on every platform.
        let variables = ProcessInfo.processInfo.environment.merging(launch.environment) { _, set in set }
        let environment: [UnsafeMutablePointer<CChar>?] = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { environment.forEach { free($0) } }

        var pid: pid_t = 0
        let status = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environment)
        close(writeEnd)
        guard status == 0 else {
            close(readEnd)
            throw SandboxError.spawnFailed(command: command, detail: String(cString: strerror(status)))
        }
        return (pid, readEnd)
    }

    static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
