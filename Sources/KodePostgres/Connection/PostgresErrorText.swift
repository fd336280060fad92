import Foundation
import PostgresNIO

/// Readable text for a PostgresNIO error. `PSQLError.description` hides everything on purpose;
/// this shows the server's message and SQLSTATE, or the connection problem, and never the query's
/// bound values (they may be record bodies).
enum PostgresErrorText {
    static func describe(_ error: any Error) -> String {
        if let transaction = error as? PostgresTransactionError {
            if let inner = transaction.closureError ?? transaction.commitError ?? transaction.beginError {
                return describe(inner)
            }
        }
        guard let error = error as? PSQLError else { return "\(error)" }
        if let info = error.serverInfo, let message = info[.message] {
            let state = info[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            return message + state
        }
        switch error.code {
        case .connectionError:
            return "cannot connect" + (error.underlying.map { ": \(underlyingText($0))" } ?? "")
        case .serverClosedConnection, .uncleanShutdown:
            return "the server closed the connection" + (error.underlying.map { ": \(underlyingText($0))" } ?? "")
        case .clientClosedConnection, .poolClosed:
            return "the connection was closed"
        case .sslUnsupported:
            return "the server does not support TLS (sslmode=require)"
        default:
            return "\(error.code)" + (error.underlying.map { ": \(underlyingText($0))" } ?? "")
        }
    }

    /// SQLSTATE of a server error, if it is one.
    static func sqlState(_ error: any Error) -> String? {
        if let transaction = error as? PostgresTransactionError, let inner = transaction.closureError ?? transaction.commitError {
            return sqlState(inner)
        }
        return (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    private static func underlyingText(_ error: any Error) -> String {
        let text = "\(error)"
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}
