import Foundation
import KodeKernel

/// Crash injection for the crash-at-every-sync tests: with `KODE_FAULT_KILL_AT_SYNC=N:before`
/// (or `N:after`) the process kills itself with SIGKILL right before (or right after) its N-th
/// sync of a file or directory, exactly as a power cut or `kill -9` would stop it there.
/// Off unless the variable is set.
enum SyncFaultInjector {
    static func wrap(_ base: any FileIO, environment: [String: String]) throws -> any FileIO {
        guard let spec = environment["KODE_FAULT_KILL_AT_SYNC"] else { return base }
        let parts = spec.split(separator: ":")
        guard parts.count == 2, let target = Int(parts[0]), target > 0, parts[1] == "before" || parts[1] == "after" else {
            throw CLIError.usage("KODE_FAULT_KILL_AT_SYNC must look like 3:before or 3:after, not '\(spec)'")
        }
        let before = parts[1] == "before"
        let started = AtomicCounter()
        let finished = AtomicCounter()
        return SyncObservingFileIO(
            base: base,
            willSync: { if started.increment() == target && before { kill(getpid(), SIGKILL) } },
            didSync: { if finished.increment() == target && !before { kill(getpid(), SIGKILL) } })
    }
}
