import CHostSupport
import Foundation
import KodeKernel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts a program in a session of its own, so a hang-up of the terminal that started it does
/// not reach it: standard input from /dev/null, both outputs appended to `log`.
package enum DetachedSpawn {
    package static func start(_ arguments: [String], log: String, environment: [String: String]) throws -> pid_t {
        // A daemon must not hold what its starter had open (a terminal's pipes, a client
        // socket): `Spawn` closes everything but the three below.
        let spawned = Spawn.start(arguments, environment: environment, extraFlags: kode_spawn_setsid_flag()) { actions in
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o600)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
            return 0
        }
        let pid: pid_t
        switch spawned {
        case .success(let started): pid = started
        case .failure(let failure): throw HostError.startFailed("cannot start \(arguments[0]): \(failure)")
        }
        return pid
    }
}
