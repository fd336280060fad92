import Foundation

/// A value guarded by a lock. `Synchronization.Mutex` would do, but it needs macOS 15 and the
/// package still supports macOS 14, so this wraps `NSLock`, which exists on every platform.
final class LockedState<State>: @unchecked Sendable {
    private let lock = NSLock()
    private var state: State

    init(_ initial: State) { state = initial }

    /// Runs `body` with exclusive access to the state.
    func withLock<R>(_ body: (inout State) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }
}
