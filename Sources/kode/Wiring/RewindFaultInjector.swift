import Foundation
import KodeKernel

/// Crash injection for the rewind crash tests: with `KODE_FAULT_KILL_AT_REWIND_STEP=N` the
/// process kills itself with SIGKILL when the rewind reports its N-th durable step (1: the
/// present recorded, 2: the intent durable, 3…: each change applied, last: done). Off unless set.
enum RewindFaultInjector {
    static func onStep(environment: [String: String]) throws -> (@Sendable (RewindStep) -> Void)? {
        guard let spec = environment["KODE_FAULT_KILL_AT_REWIND_STEP"] else { return nil }
        guard let target = Int(spec), target > 0 else {
            throw CLIError.usage("KODE_FAULT_KILL_AT_REWIND_STEP must be a positive step number")
        }
        let counter = AtomicCounter()
        return { _ in
            if counter.increment() == target { kill(getpid(), SIGKILL) }
        }
    }
}
