import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL server the tests use: `KODE_PG_URL`, which `./scripts/test.sh` sets to a
/// throwaway server it starts. Without one, PostgreSQL tests fail (never skip) with
/// `TestPostgres.Unavailable`, saying how to get one.
public enum TestPostgres {
    /// No server to test against.
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// `KODE_PG_URL`, or `Unavailable`.
    public static func serverURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["KODE_PG_URL"], !url.isEmpty else {
            throw Unavailable(description: "KODE_PG_URL is not set: run the tests through ./scripts/test.sh (it starts a throwaway PostgreSQL) or point KODE_PG_URL at a server")
        }
        return url
    }

    /// Runs `body` with the URL of a fresh, empty schema (`?schema=kode_t_…`) on the test server,
    /// and drops the schema afterwards, also when `body` throws.
    public static func withSchema<T>(_ body: (String) async throws -> T) async throws -> T {
        let schema = "kode_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let server = try serverURL()
        try await execute("CREATE SCHEMA \(schema)", on: server)
        let url = server + (server.contains("?") ? "&" : "?") + "schema=\(schema)"
        do {
            let value = try await body(url)
            try await execute("DROP SCHEMA \(schema) CASCADE", on: server)
            return value
        } catch {
            try? await execute("DROP SCHEMA \(schema) CASCADE", on: server)
            throw error
        }
    }

    /// Runs one SQL statement on its own connection to `url` (a plain `postgres://` URL, no
    /// `schema=` parameter needed), failing with `Unavailable` when the server cannot be reached.
    public static func execute(_ sql: String, on url: String) async throws {
        let connection = try await connect(url)
        defer { Task { try? await connection.close() } }
        _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).get()
    }

    /// Runs a query and returns the first column of every row as text.
    public static func strings(_ sql: String, on url: String) async throws -> [String?] {
        let connection = try await connect(url)
        defer { Task { try? await connection.close() } }
        var values: [String?] = []
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) {
            values.append(try row.decode(String?.self))
        }
        return values
    }

    /// Runs `statements` in order on one connection (for session settings and prepared
    /// statements) and returns the first column of the last one's rows as text.
    public static func strings(_ statements: [String], on url: String) async throws -> [String?] {
        let connection = try await connect(url)
        defer { Task { try? await connection.close() } }
        var values: [String?] = []
        for statement in statements {
            values = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) {
                values.append(try row.decode(String?.self))
            }
        }
        return values
    }

    static let logger = Logger(label: "kode.test.postgres")

    static func connect(_ text: String) async throws -> PostgresConnection {
        guard let components = URLComponents(string: text), let host = components.host else {
            throw Unavailable(description: "KODE_PG_URL is not a postgres:// URL")
        }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let user = components.user ?? "postgres"
        var configuration = PostgresConnection.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: components.password,
            database: path.isEmpty ? user : path, tls: .disable
        )
        configuration.options.connectTimeout = .seconds(10)
        do {
            return try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        } catch {
            throw Unavailable(description: "cannot reach the test PostgreSQL server at \(host):\(components.port ?? 5432): \(String(reflecting: error))")
        }
    }
}
