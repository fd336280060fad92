import Synchronization

/// How a call to a server ended.
enum CallOutcome<Value: Sendable>: Sendable {
    case finished(Value)
    case failed(any Error)
    case timedOut
    /// The server's process ended first.
    case ended(ServerEnd)
}

/// Runs a call against a time limit and the server's process ending, whichever comes first.
///
/// The contenders run as separate tasks and the first outcome wins: a task group would wait for
/// the losers, and a request to a hung server is not cancellable from here (it ends when the
/// connection is torn down, which the caller does after a timeout or an exit).
enum CallRace {
    static func run<Value: Sendable>(
        limit: Duration, exit process: ServerProcess?,
        _ operation: @escaping @Sendable () async throws -> Value
    ) async -> CallOutcome<Value> {
        let winner = Mutex<CheckedContinuation<CallOutcome<Value>, Never>?>(nil)
        let contenders = Mutex<[Task<Void, Never>]>([])
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<CallOutcome<Value>, Never>) in
            winner.withLock { $0 = continuation }
            let finish: @Sendable (CallOutcome<Value>) -> Void = { outcome in
                guard let continuation = winner.withLock({ slot in defer { slot = nil }; return slot }) else { return }
                continuation.resume(returning: outcome)
            }
            var tasks = [
                Task {
                    do { finish(.finished(try await operation())) } catch { finish(.failed(error)) }
                },
                Task {
                    try? await Task.sleep(for: limit)
                    if !Task.isCancelled { finish(.timedOut) }
                },
            ]
            if let process {
                tasks.append(Task {
                    if let end = await process.ended() { finish(.ended(end)) }
                })
            }
            contenders.withLock { $0 = tasks }
        }
        for task in contenders.withLock({ $0 }) { task.cancel() }
        return outcome
    }
}
