import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pipe whose two ends close on exec, for talking to a child that gets them through
/// `dup2` in its spawn actions.
///
/// The flag is set just after `pipe` returns (`pipe2` is not imported into Swift here): a
/// process spawned by another thread in that instant would inherit the ends, but every spawn of
/// the runtime closes what a child inherits (`SpawnFileActions.closeInherited`) and Foundation's
/// `Process` closes it too. Without the flag an inherited write end keeps a reader from seeing
/// end of file for as long as that child lives.
package enum ClosingPipe {
    /// The read and write ends, or nil with `errno` set.
    package static func make() -> (read: Int32, write: Int32)? {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return (fds[0], fds[1])
    }
}
