import Foundation

/// The foreground shells of a sandbox that may still be running, so shutdown can kill them.
/// Finished ones are pruned whenever a new one is tracked.
final class ForegroundShells: @unchecked Sendable {
    private let lock = NSLock()
    private var processes: [ShellProcess] = []

    func track(_ process: ShellProcess) {
        lock.withLock {
            processes.removeAll { $0.isFinished }
            processes.append(process)
        }
    }

    func running() -> [ShellProcess] {
        lock.withLock { processes.filter { !$0.isFinished } }
    }
}
