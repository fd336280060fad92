import AsyncHTTPClient
import NIOCore

/// The one `HTTPClient` all providers share (connection pools are per client), with an explicit
/// `shutdown()` the owner calls before the process exits.
public final class SharedHTTPClient: Sendable {
    /// The underlying AsyncHTTPClient instance.
    public let client: HTTPClient
    /// How long establishing a connection (TCP and TLS) may take.
    public let connectTimeout: Duration

    /// A client on NIO's shared event loop group. Redirects are not followed: an API endpoint
    /// that redirects is misconfigured, and following it could send the key elsewhere.
    public init(connectTimeout: Duration = .seconds(15)) {
        self.connectTimeout = connectTimeout
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .nanoseconds(connectTimeout.nanosecondsClamped)),
            connectionPool: .init())
        configuration.httpVersion = .automatic
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Closes every connection; call once, after the last request.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// A process-wide client for callers that do not manage one (the factory's default). It is
    /// never shut down; its connections close when the process ends.
    public static let processWide = SharedHTTPClient()
}

extension Duration {
    /// Whole nanoseconds, clamped to `Int64` for NIO's `TimeAmount`.
    var nanosecondsClamped: Int64 {
        let (seconds, attoseconds) = components
        if seconds > Int64.max / 1_000_000_000 { return Int64.max }
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
