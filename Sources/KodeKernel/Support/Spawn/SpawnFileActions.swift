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

    /// Darwin closes the rest with `POSIX_SPAWN_CLOEXEC_DEFAULT`, a spawn attribute, instead.
    @discardableResult
    package static func closeInherited(_ actions: inout Actions) -> Bool { false }

    package static func changeDirectory(_ actions: inout Actions, _ path: String) -> Int32 {
        posix_spawn_file_actions_addchdir_np(&actions, path)
    }
    #endif
}
