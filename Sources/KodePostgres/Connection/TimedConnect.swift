import Foundation
import KodeKernel
import Logging
import PostgresNIO
import Synchronization

/// Connecting within a deadline. `Deadline.run` leaves a late operation to finish on its own; a
/// connection that arrives after the deadline must still be closed (a server backend would
/// stay behind, and PostgresNIO asserts that a connection is closed before it goes away).
enum TimedConnect {
    static func connect(_ configuration: PostgresConnection.Configuration, timeout: Duration, logger: Logger) async throws -> PostgresConnection {
        let handoff = Handoff()
        do {
            return try await Deadline.run(timeout) {
                let connection = try await PostgresConnection.connect(configuration: configuration, id: Int.random(in: 1...Int(Int32.max)), logger: logger)
                guard handoff.deliver(connection) else {
                    try? await connection.close()
                    throw DeadlineExceeded()
                }
                return connection
            }
        } catch {
            if let late = handoff.abandon() { try? await late.close() }
            throw error
        }
    }

    /// Who closes a connection: the caller if it gave up after the connection was delivered,
    /// else the connecting task if the caller gave up first.
    private final class Handoff: Sendable {
        private let state = Mutex<(abandoned: Bool, delivered: PostgresConnection?)>((false, nil))

        /// False when the caller already gave up.
        func deliver(_ connection: PostgresConnection) -> Bool {
            state.withLock { state in
                if state.abandoned { return false }
                state.delivered = connection
                return true
            }
        }

        /// The connection delivered before the caller gave up, if any.
        func abandon() -> PostgresConnection? {
            state.withLock { state in
                state.abandoned = true
                defer { state.delivered = nil }
                return state.delivered
            }
        }
    }
}
