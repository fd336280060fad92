import Foundation
import Synchronization

/// An operation that ran past its deadline (it was cancelled).
package struct DeadlineExceeded: Error {
    package init() {}
}

/// Races an operation against a sleep, so nothing it waits for (a database, another process)
/// can hang a caller.
///
/// Not a task group: a group waits for every child at its end, and a driver call that ignores
/// cancellation (a database driver's) would hang the caller exactly as if there were no deadline. The operation runs
/// in a task of its own, is cancelled at the deadline and left to finish on its own.
package enum Deadline {
    package static func run<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let once = Once<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                once.arm(continuation)
                let work = Task {
                    do { once.finish(.success(try await body())) } catch { once.finish(.failure(error)) }
                }
                let timer = Task {
                    try? await Task.sleep(for: timeout)
                    if once.finish(.failure(DeadlineExceeded())) { work.cancel() }
                }
                once.onFinish { work.cancel(); timer.cancel() }
            }
        } onCancel: {
            once.finish(.failure(CancellationError()))
        }
    }

    package static func format(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return seconds >= 1 ? "\(Int(seconds.rounded())) s" : "\(Int((seconds * 1000).rounded())) ms"
    }
}

/// Resumes a continuation once, with whichever result comes first.
private final class Once<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var early: Result<T, any Error>?
        var done = false
        var cleanup: (@Sendable () -> Void)?
    }
    private let state = Mutex(State())

    func arm(_ continuation: CheckedContinuation<T, any Error>) {
        let early = state.withLock { state -> Result<T, any Error>? in
            if let early = state.early { return early }
            state.continuation = continuation
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    func onFinish(_ cleanup: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state -> Bool in
            if state.done { return true }
            state.cleanup = cleanup
            return false
        }
        if runNow { cleanup() }
    }

    /// True when this call decided the result.
    @discardableResult
    func finish(_ result: Result<T, any Error>) -> Bool {
        let (continuation, cleanup, won) = state.withLock { state -> (CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?, Bool) in
            guard !state.done else { return (nil, nil, false) }
            state.done = true
            if state.continuation == nil { state.early = result }
            defer { state.continuation = nil; state.cleanup = nil }
            return (state.continuation, state.cleanup, true)
        }
        continuation?.resume(with: result)
        cleanup?()
        return won
    }
}
