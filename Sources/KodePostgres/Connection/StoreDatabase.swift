import Foundation
import KodeKernel
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// The store's way to the server: a pool for reads and appends, a connection of the commits' own
/// (`CommitLane`), and dedicated connections where a session matters (advisory locks, LISTEN).
/// Every call has a deadline, so a database that is down or stalled gives a clear error instead
/// of a hang.
package final class StoreDatabase: Sendable {
    let url: PostgresURL
    package let client: PostgresClient
    let logger: Logger
    /// How long one operation may take before it fails as "not answering".
    let timeout: Duration
    private let runTask: Task<Void, Never>
    /// The commits' own connection while it is free (`CommitLane`).
    private let lane: CommitLane

    init(url: PostgresURL, timeout: Duration, logger: Logger) throws {
        self.url = url
        self.timeout = timeout
        self.logger = logger
        var configuration = PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password,
            database: url.database, tls: try Self.clientTLS(url.sslMode)
        )
        configuration.options.connectTimeout = min(timeout, .seconds(5))
        configuration.options.maximumConnections = 8
        configuration.options.additionalStartupParameters = [("application_name", "kode")] + Self.isolation + Self.commitSettings(url)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.runTask = Task { await client.run() }
        var laneConfiguration = try Self.connectionConfiguration(url, timeout: timeout, applicationName: String("kode-commit \(url.schema)".prefix(63)))
        laneConfiguration.options.additionalStartupParameters += Self.commitSettings(url)
        self.lane = CommitLane(timeout: timeout) { [laneConfiguration, logger] in
            try await TimedConnect.connect(laneConfiguration, timeout: timeout, logger: logger)
        }
    }

    /// Ends the pool; queries after this fail.
    func shutdown() {
        lane.shutdown()
        runTask.cancel()
    }

    /// Runs `body` with the deadline; any failure becomes a `StoreError` that names the server.
    func run<T: Sendable>(_ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        do {
            return try await Deadline.run(timeout, body)
        } catch {
            throw failure(of: what, error)
        }
    }

    /// Runs a commit on the lane's connection when it is free, else on a pooled one (`body` gets
    /// nil), with the deadline either way.
    func commit<T: Sendable>(_ what: String, _ body: @escaping @Sendable (PostgresConnection?) async throws -> T) async throws -> T {
        let onLane: T?
        do {
            onLane = try await lane.run { try await body($0) }
        } catch {
            throw failure(of: what, error)
        }
        if let onLane { return onLane }
        return try await run(what) { try await body(nil) }
    }

    /// Any failure of `what` as a `StoreError` that names the server.
    private func failure(of what: String, _ error: any Error) -> any Error {
        switch error {
        case let error as StoreError:
            return error
        case let error as PostgresTransactionError where error.closureError is StoreError:
            return error.closureError!
        case is DeadlineExceeded:
            return StoreError.io(path: url.description, message: "\(what): the database did not answer within \(Deadline.format(timeout)) (is it down or overloaded?)")
        default:
            return StoreError.io(path: url.description, message: "\(what): \(PostgresErrorText.describe(error))")
        }
    }

    /// Runs one query on a pooled connection and collects every row.
    package func rows(_ what: String, _ query: PostgresQuery) async throws -> [PostgresRow] {
        try await run(what) { [client] in
            var rows: [PostgresRow] = []
            for try await row in try await client.query(query) { rows.append(row) }
            return rows
        }
    }

    /// The rows of a prepared statement that commits (prepared once per connection), run as
    /// `commit` runs it: on the lane while it is free, else on a pooled connection.
    func commitRows<Statement: PostgresPreparedStatement>(_ what: String, _ statement: Statement) async throws -> [Statement.Row] where Statement.Row: Sendable {
        try await commit(what) { [client, logger] lane in
            var rows: [Statement.Row] = []
            if let lane {
                for try await row in try await lane.execute(statement, logger: logger) { rows.append(row) }
            } else {
                for try await row in try await client.execute(statement) { rows.append(row) }
            }
            return rows
        }
    }

    /// A connection of its own (for advisory locks and LISTEN), with the same deadline.
    func dedicatedConnection(_ what: String, applicationName: String = "kode-owner") async throws -> PostgresConnection {
        let configuration = try connectionConfiguration(applicationName: applicationName)
        do {
            return try await TimedConnect.connect(configuration, timeout: timeout, logger: logger)
        } catch {
            throw failure(of: what, error)
        }
    }

    private func connectionConfiguration(applicationName: String) throws -> PostgresConnection.Configuration {
        try Self.connectionConfiguration(url, timeout: timeout, applicationName: applicationName)
    }

    private static func connectionConfiguration(_ url: PostgresURL, timeout: Duration, applicationName: String) throws -> PostgresConnection.Configuration {
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password,
            database: url.database, tls: try Self.connectionTLS(url.sslMode)
        )
        configuration.options.connectTimeout = .seconds(Int64(min(timeout, .seconds(5)).components.seconds))
        configuration.options.additionalStartupParameters = [("application_name", applicationName)] + isolation
        return configuration
    }

    /// The fence takes a fresh snapshot after it waits for the gate, which only READ COMMITTED
    /// gives (docs/POSTGRES.md, "The gate"): a role or database whose default is stricter is
    /// overridden for the store's connections, and the store's functions refuse to run otherwise.
    private static let isolation = [("default_transaction_isolation", "read committed")]

    /// What the connections that commit start with: the prepared append names its tables
    /// unqualified (`AppendStatement`), and a durable commit relies on `synchronous_commit` being
    /// on (a client's startup setting overrides a role's or database's `off`).
    private static func commitSettings(_ url: PostgresURL) -> [(String, String)] {
        [("search_path", "\"\(url.schema)\""), ("synchronous_commit", "on")]
    }

    static func clientTLS(_ mode: PostgresURL.SSLMode) throws -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: return .disable
        case .prefer: return .prefer(unverified())
        case .require: return .require(unverified())
        case .verifyFull: return .require(.makeClientConfiguration())
        }
    }

    static func connectionTLS(_ mode: PostgresURL.SSLMode) throws -> PostgresConnection.Configuration.TLS {
        switch mode {
        case .disable: return .disable
        case .prefer: return .prefer(try NIOSSLContext(configuration: unverified()))
        case .require: return .require(try NIOSSLContext(configuration: unverified()))
        case .verifyFull: return .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }

    /// libpq's `prefer` and `require` encrypt without checking the certificate; `verify-full` checks it.
    private static func unverified() -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        return configuration
    }
}
