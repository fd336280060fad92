import Foundation
import KodeKernel
import PostgresNIO
import Synchronization

/// A connection of the store's own that commits go over while it is free; a commit that finds it
/// busy takes a pooled connection instead (`StoreDatabase.commit`).
///
/// Why: through the pool a single durable append paid for a lease and for `Deadline.run`'s two
/// tasks (measured on this machine: a raw INSERT+COMMIT through the pool and its deadline ran at
/// 0.79× of the same insert on a plain connection). Here the statement runs in the caller's task,
/// and the deadline is a watchdog that closes the connection when a commit outlives it, which
/// fails the commit at once instead of leaving it waiting.
final class CommitLane: Sendable {
    private struct State {
        var connection: PostgresConnection?
        var busy = false
        /// When the commit in flight is overdue.
        var expiry: ContinuousClock.Instant?
        /// The watchdog closed the connection under the commit in flight.
        var timedOut = false
        var watchdog: Task<Void, Never>?
        var closed = false
        /// When the last commit on the lane ended (an idle connection is let go, as the pool does).
        var lastUsed = ContinuousClock.now
        /// After a failed connect, commits go straight to the pool until then, so a server that
        /// is down costs each commit one attempt, not two.
        var retryAfter: ContinuousClock.Instant?
    }

    /// How long the lane's connection may sit unused before the watchdog closes it.
    static let idleLimit: Duration = .seconds(60)

    private let state = Mutex(State())
    private let timeout: Duration
    private let connect: @Sendable () async throws -> PostgresConnection

    init(timeout: Duration, connect: @escaping @Sendable () async throws -> PostgresConnection) {
        self.timeout = timeout
        self.connect = connect
    }

    /// Runs `body` on the lane's connection, or returns nil at once when the lane is busy, shut,
    /// or cannot connect (the caller then uses the pool, which reports a server that is down).
    /// Throws `DeadlineExceeded` when the watchdog cut the commit off.
    func run<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T? {
        let held = state.withLock { state -> (taken: Bool, connection: PostgresConnection?) in
            guard !state.busy, !state.closed else { return (false, nil) }
            if let retryAfter = state.retryAfter, ContinuousClock.now < retryAfter { return (false, nil) }
            state.busy = true
            state.timedOut = false
            return (true, state.connection.flatMap { $0.isClosed ? nil : $0 })
        }
        guard held.taken else { return nil }
        var connection = held.connection
        if connection == nil { connection = await laneConnection() }
        guard let connection else {
            state.withLock { $0.busy = false }
            return nil
        }
        state.withLock { $0.expiry = .now + timeout }
        do {
            let value = try await body(connection)
            state.withLock { state in
                state.busy = false
                state.expiry = nil
                state.lastUsed = .now
            }
            return value
        } catch {
            let timedOut = state.withLock { state -> Bool in
                state.busy = false
                state.expiry = nil
                state.lastUsed = .now
                if state.connection?.isClosed ?? true { state.connection = nil }
                return state.timedOut
            }
            if timedOut { throw DeadlineExceeded() }
            throw error
        }
    }

    /// Connects the lane (the lane is held busy by the caller); nil when that fails or the lane
    /// was shut meanwhile.
    private func laneConnection() async -> PostgresConnection? {
        guard let connection = try? await connect() else {
            state.withLock { $0.retryAfter = .now + .seconds(1) }
            return nil
        }
        let keep = state.withLock { state -> Bool in
            guard !state.closed else { return false }
            state.retryAfter = nil
            state.connection = connection
            if state.watchdog == nil { state.watchdog = startWatchdog() }
            return true
        }
        if !keep { try? await connection.close() }
        return keep ? connection : nil
    }

    /// Closes the connection of a commit that outlived its deadline, and one left idle past
    /// `idleLimit`; looks a few times a second.
    private func startWatchdog() -> Task<Void, Never> {
        let interval = min(timeout / 4, .milliseconds(250))
        return Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self else { return }
                let doomed = self.state.withLock { state -> PostgresConnection? in
                    let now = ContinuousClock.now
                    if state.busy, let expiry = state.expiry, now >= expiry {
                        state.timedOut = true
                        state.expiry = nil
                    } else if !state.busy, state.connection != nil, now - state.lastUsed >= Self.idleLimit {
                        // Idle too long: a connection a firewall may have dropped silently.
                    } else {
                        return nil
                    }
                    // Taken out here, so the next commit connects afresh instead of meeting a
                    // connection that is about to be closed under it.
                    defer { state.connection = nil }
                    return state.connection
                }
                if let doomed { try? await doomed.close() }
            }
        }
    }

    /// A store dropped without `shutdown()` still closes the connection (a connection must be
    /// closed before it goes away).
    deinit {
        shutdown()
    }

    /// Closes the connection and refuses further commits (they take the pool, which is shut too).
    func shutdown() {
        let (connection, watchdog) = state.withLock { state -> (PostgresConnection?, Task<Void, Never>?) in
            state.closed = true
            defer { state.connection = nil; state.watchdog = nil }
            return (state.connection, state.watchdog)
        }
        watchdog?.cancel()
        if let connection { Task { try? await connection.close() } }
    }
}
