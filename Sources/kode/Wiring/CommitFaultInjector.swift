import Foundation
import KodePostgres

/// `KODE_FAULT_KILL_AT_COMMIT=N:before|after` kills the process with SIGKILL just before or just
/// after the Nth durable commit of a PostgreSQL store: the crash tests' way to stop the process
/// at every commit, as `KODE_FAULT_KILL_AT_SYNC` does around the file store's syncs.
enum CommitFaultInjector {
    static func install(on store: PostgresStore, environment: [String: String]) throws {
        guard let spec = environment["KODE_FAULT_KILL_AT_COMMIT"] else { return }
        let parts = spec.split(separator: ":")
        guard parts.count == 2, let target = Int(parts[0]), target >= 1, parts[1] == "before" || parts[1] == "after" else {
            throw CLIError.usage("KODE_FAULT_KILL_AT_COMMIT must be N:before or N:after (got '\(spec)')")
        }
        let after = parts[1] == "after"
        store.commitObserver.withLock {
            $0 = { number, done in
                if number == target && done == after { kill(getpid(), SIGKILL) }
            }
        }
    }
}
