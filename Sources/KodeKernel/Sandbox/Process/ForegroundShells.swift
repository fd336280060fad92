import Foundation
import Synchronization

/// The foreground shells of a sandbox that may still be running, so shutdown can kill them.
/// Finished ones are pruned whenever a new one is tracked.
final class ForegroundShells: Sendable {
    private let processes = Mutex<[ShellProcess]>([])

    func track(_ process: ShellProcess) {
        processes.withLock { processes in
            processes.removeAll { $0.isFinished }
            processes.append(process)
        }
    }

    func running() -> [ShellProcess] {
        processes.withLock { $0.filter { !$0.isFinished } }
    }
}
