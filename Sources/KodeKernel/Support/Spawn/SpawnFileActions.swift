import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File actions every child the runtime spawns gets, beyond its own redirections.
///
/// A child inherits every descriptor of this process that lacks `FD_CLOEXEC`, and Foundation's
/// `Pipe` makes its ends without it. A child that inherited the write end of another child's
/// output pipe keeps that pipe from ever reaching its end while it lives: a `bash_run` tool that
/// starts a server, or a tmux server, held the pipe of the sandbox probe that way, the probe's
/// reader waited for ever under its lock, and every agent created after it waited too. So a
/// child gets its three standard descriptors and nothing else.
package enum SpawnFileActions {
    #if canImport(Glibc)
    package typealias Actions = posix_spawn_file_actions_t

    /// Closes every descriptor from 3 up in the child. Add it after the redirections (the
    /// actions run in order, and it closes the originals they duplicated). False where the C
    /// library lacks the action (glibc before 2.34); the child then inherits what is not
    /// close-on-exec, as before.
    @discardableResult
    package static func closeInherited(_ actions: inout Actions) -> Bool {
        guard let function = closeFromFunction else { return false }
        return function(&actions, 3) == 0
    }

    /// The child starts in `path`. An `errno` value on failure (`ENOSYS` where the C library
    /// lacks the action, glibc before 2.29).
    package static func changeDirectory(_ actions: inout Actions, _ path: String) -> Int32 {
        guard let function = changeDirectoryFunction else { return ENOSYS }
        return function(&actions, path)
    }

    private typealias CloseFromFunction = @convention(c) (UnsafeMutablePointer<Actions>, Int32) -> Int32
    private typealias ChangeDirectoryFunction = @convention(c) (UnsafeMutablePointer<Actions>, UnsafePointer<CChar>) -> Int32

    // glibc declares both behind feature macros the Swift importer does not set, so they are
    // looked up at run time.
    private static let closeFromFunction: CloseFromFunction? = symbol("posix_spawn_file_actions_addclosefrom_np")
    private static let changeDirectoryFunction: ChangeDirectoryFunction? = symbol("posix_spawn_file_actions_addchdir_np")

    private static func symbol<F>(_ name: String) -> F? {
        guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(address, to: F.self)
    }
    #else
    package typealias Actions = posix_spawn_file_actions_t?

    /// Darwin closes the rest with `POSIX_SPAWN_CLOEXEC_DEFAULT`, a spawn attribute `Spawn` sets.
    @discardableResult
    package static func closeInherited(_ actions: inout Actions) -> Bool { false }

    package static func changeDirectory(_ actions: inout Actions, _ path: String) -> Int32 {
        posix_spawn_file_actions_addchdir_np(&actions, path)
    }
    #endif
}

/// `posix_spawn` as every spawner of the runtime calls it: the redirections `redirect` adds,
/// then `SpawnFileActions.closeInherited`, then the program `arguments[0]` (a path) with its
/// arguments and `environment`.
///
/// The child starts with no signal blocked and the common ones at their default action: the
/// calling thread is usually one of the cooperative pool's, which block almost every signal, and
/// a mask and ignored signals (this process ignores SIGPIPE) survive `exec` — a child would
/// otherwise never see SIGTERM, and `yes | head` would never end.
package enum Spawn {
    /// The child's pid, or the error number `posix_spawn` (or a redirection) returned.
    /// - Parameters:
    ///   - newProcessGroup: the child leads a process group of its own (so its whole group can
    ///     be killed).
    ///   - extraFlags: more `posix_spawnattr_setflags` flags (`POSIX_SPAWN_SETSID`, which Swift
    ///     does not import, from a C shim).
    package static func start(
        _ arguments: [String], environment: [String: String],
        newProcessGroup: Bool = false, extraFlags: Int16 = 0,
        redirect: (inout SpawnFileActions.Actions) -> Int32 = { _ in 0 }
    ) -> Result<pid_t, SpawnFailure> {
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
        let redirected = redirect(&actions)
        guard redirected == 0 else { return .failure(SpawnFailure(code: redirected)) }
        SpawnFileActions.closeInherited(&actions)

        var flags = Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK) | Int32(extraFlags)
        if newProcessGroup {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        #if canImport(Darwin)
        // Darwin's way of closing what the child would inherit.
        flags |= Int32(POSIX_SPAWN_CLOEXEC_DEFAULT)
        #endif
        posix_spawnattr_setflags(&attributes, Int16(truncatingIfNeeded: flags))
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)

        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        return status == 0 ? .success(pid) : .failure(SpawnFailure(code: status))
    }
}

/// An error number from starting a child, with its text.
package struct SpawnFailure: Error, CustomStringConvertible {
    package var code: Int32
    package var description: String { String(cString: strerror(code)) }
}
