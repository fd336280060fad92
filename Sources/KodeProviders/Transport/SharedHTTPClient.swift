import AsyncHTTPClient
import Foundation
import NIOCore

/// The HTTP clients all providers share (connection pools are per client), with an explicit
/// `shutdown()` the owner calls before the process exits.
///
/// Proxies follow `ProxySettings`: one client talks to servers directly, and one more is made
/// for each proxy the settings name (AsyncHTTPClient sets the proxy per client), so a request
/// picks its client by URL (`client(for:)`).
public final class SharedHTTPClient: Sendable {
    /// The client for requests that go straight to the server.
    package let client: HTTPClient
    /// How long establishing a connection (TCP and TLS, and the proxy handshake) may take.
    public let connectTimeout: Duration
    /// Which requests go through which proxy.
    public let proxies: ProxySettings
    private let proxied: [ProxySettings.Server: HTTPClient]

    /// Clients on NIO's shared event loop group. Redirects are not followed: an API endpoint
    /// that redirects is misconfigured, and following it could send the key elsewhere.
    ///
    /// - Parameter proxies: by default, from the process environment (`HTTPS_PROXY`, …).
    public init(connectTimeout: Duration = .seconds(15), proxies: ProxySettings = ProxySettings(environment: ProcessInfo.processInfo.environment)) {
        self.connectTimeout = connectTimeout
        self.proxies = proxies
        self.client = Self.makeClient(connectTimeout: connectTimeout, proxy: nil)
        var proxied: [ProxySettings.Server: HTTPClient] = [:]
        for server in proxies.servers { proxied[server] = Self.makeClient(connectTimeout: connectTimeout, proxy: server) }
        self.proxied = proxied
    }

    /// The client for a request to `url`, or why none can be used (an unusable proxy variable).
    package func client(for url: String) -> Result<HTTPClient, ProxyConfigurationError> {
        switch proxies.route(for: url) {
        case .direct: return .success(client)
        case .proxy(let server): return .success(proxied[server] ?? client)
        case .unusable(let message): return .failure(ProxyConfigurationError(message: message))
        }
    }

    /// Closes every connection; call once, after the last request.
    public func shutdown() async throws {
        try await client.shutdown()
        for other in proxied.values { try await other.shutdown() }
    }

    /// A process-wide client for callers that do not manage one (the factory's default). It is
    /// never shut down; its connections close when the process ends.
    public static let processWide = SharedHTTPClient()

    private static func makeClient(connectTimeout: Duration, proxy server: ProxySettings.Server?) -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .nanoseconds(connectTimeout.nanosecondsClamped)),
            connectionPool: .init())
        configuration.httpVersion = .automatic
        if let server {
            switch server.kind {
            case .http:
                let authorization = server.username.map { HTTPClient.Authorization.basic(username: $0, password: server.password ?? "") }
                configuration.proxy = .server(host: server.host, port: server.port, authorization: authorization)
            case .socks5:
                configuration.proxy = .socksServer(host: server.host, port: server.port)
            }
        }
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}

extension Duration {
    /// Whole nanoseconds, clamped to `Int64` for NIO's `TimeAmount`.
    var nanosecondsClamped: Int64 {
        let (seconds, attoseconds) = components
        if seconds > Int64.max / 1_000_000_000 { return Int64.max }
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
