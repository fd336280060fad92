import Foundation

/// A `postgres://user:password@host:port/database?sslmode=…&schema=…` URL, parsed once.
///
/// The password is kept for connecting and never shown: `description` (what logs, errors and
/// the screen get) prints it as `***`.
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    /// How the connection uses TLS, as libpq's `sslmode` names it.
    public enum SSLMode: String, Sendable, Hashable {
        /// No TLS.
        case disable
        /// TLS when the server offers it (libpq's default).
        case prefer
        /// TLS or no connection; the certificate is not verified (as libpq's `require`).
        case require
        /// TLS with the server's certificate verified against the system's roots and host name.
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    /// Never printed.
    public var password: String?
    public var database: String
    public var sslMode: SSLMode
    /// The schema the store's tables live in (`?schema=`; default `kode`), so several stores can
    /// share one database.
    public var schema: String

    /// Parses `text`; bad input gets a `PostgresURLError` saying what is wrong, with the password
    /// already masked.
    public init(_ text: String) throws {
        let shown = PostgresURL.redact(text)
        guard let components = URLComponents(string: text), let scheme = components.scheme,
              scheme == "postgres" || scheme == "postgresql" else {
            throw PostgresURLError(url: shown, problem: "expected postgres://user[:password]@host[:port]/database")
        }
        guard let host = components.host, !host.isEmpty else {
            throw PostgresURLError(url: shown, problem: "it names no host")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.user = components.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
        self.password = components.password.flatMap { $0.removingPercentEncoding }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        self.database = path.isEmpty ? self.user : (path.removingPercentEncoding ?? path)
        self.sslMode = .prefer
        self.schema = "kode"
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = SSLMode(rawValue: item.value ?? "") else {
                    throw PostgresURLError(url: shown, problem: "sslmode '\(item.value ?? "")' is not one of disable, prefer, require, verify-full")
                }
                self.sslMode = mode
            case "schema":
                let name = item.value ?? ""
                guard PostgresURL.isPlainIdentifier(name) else {
                    throw PostgresURLError(url: shown, problem: "schema '\(name)' must be lower-case letters, digits and '_', starting with a letter")
                }
                self.schema = name
            default:
                throw PostgresURLError(url: shown, problem: "unknown parameter '\(item.name)' (known: sslmode, schema)")
            }
        }
    }

    /// Whether `text` looks like a PostgreSQL URL rather than a directory.
    public static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// The URL with any password replaced by `***`; safe to print even when it does not parse.
    public static func redact(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let rest = text[schemeEnd.upperBound...]
        // The userinfo ends at the last '@' before the path.
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return text }
        let userInfo = rest[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return text }
        return String(text[..<schemeEnd.upperBound]) + userInfo[..<colon] + ":***" + rest[at...]
    }

    /// `postgres://user:***@host:port/database?…`: never the password.
    public var description: String {
        var text = "postgres://\(user)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)"
        var parameters: [String] = []
        if sslMode != .prefer { parameters.append("sslmode=\(sslMode.rawValue)") }
        if schema != "kode" { parameters.append("schema=\(schema)") }
        if !parameters.isEmpty { text += "?" + parameters.joined(separator: "&") }
        return text
    }

    /// Lower-case letters, digits and `_`, starting with a letter: safe to splice into SQL as an identifier.
    static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), name.count <= 63 else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}

/// A PostgreSQL URL that does not parse.
public struct PostgresURLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The URL with its password masked.
    public var url: String
    public var problem: String
    public var description: String { "bad PostgreSQL URL \(url): \(problem)" }
}
