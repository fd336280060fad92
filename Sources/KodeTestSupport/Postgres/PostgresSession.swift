import Foundation
import PostgresNIO

/// One connection to the test server kept open across statements, for a test that holds a
/// transaction (and the locks it took) while something else runs.
public final class PostgresSession: Sendable {
    let connection: PostgresConnection

    /// Runs `body` with a session on `url` (a plain `postgres://` URL), closing it afterwards,
    /// also when `body` throws (a connection must be closed before it goes away).
    public static func with<T>(_ url: String, _ body: (PostgresSession) async throws -> T) async throws -> T {
        let session = PostgresSession(connection: try await TestPostgres.connect(url))
        do {
            let value = try await body(session)
            await session.close()
            return value
        } catch {
            await session.close()
            throw error
        }
    }

    init(connection: PostgresConnection) { self.connection = connection }

    /// Runs one statement and returns the first column of its rows as text.
    @discardableResult
    public func strings(_ sql: String) async throws -> [String?] {
        var values: [String?] = []
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: TestPostgres.logger) {
            values.append(try row.decode(String?.self))
        }
        return values
    }

    /// Ends the connection (an open transaction is rolled back by the server).
    func close() async {
        try? await connection.close()
    }
}
