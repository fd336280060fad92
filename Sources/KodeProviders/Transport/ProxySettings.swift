import Foundation

/// Which proxy, if any, a request goes through: read from the environment the way curl and most
/// command-line HTTP tools read it.
///
/// - `https://` URLs use `https_proxy`, else `HTTPS_PROXY`; `http://` URLs use `http_proxy`, else
///   `HTTP_PROXY`; either falls back to `all_proxy` / `ALL_PROXY`. An empty value is unset.
/// - A value is `host:port` or `http://[user:password@]host[:port]` (an HTTP proxy, reached with
///   `CONNECT`, the port defaulting to 80; user and password may be percent-encoded and are sent
///   as `Proxy-Authorization: Basic`), or `socks5://host[:port]` / `socks5h://…` (SOCKS5 without
///   authentication, port 1080 by default).
/// - `no_proxy` / `NO_PROXY` lists hosts reached directly (see `NoProxyList`).
/// - This machine (`localhost`, `127.x.x.x`, `::1`) is always reached directly, so local model
///   servers keep working behind a corporate proxy.
///
/// A value that cannot be used (`https://` proxies, unknown schemes, no host, a bad port, SOCKS
/// with a user name) is not ignored: requests that would use it fail with a message naming the
/// variable, never its credentials.
public struct ProxySettings: Sendable, Hashable {
    /// A proxy server.
    public struct Server: Sendable, Hashable {
        /// How the proxy is spoken to.
        public enum Kind: Sendable, Hashable {
            /// An HTTP proxy, asked to open a tunnel with `CONNECT`.
            case http
            /// A SOCKS5 proxy.
            case socks5
        }

        public var kind: Kind
        public var host: String
        public var port: Int
        /// Credentials for an HTTP proxy (`Proxy-Authorization: Basic`).
        public var username: String?
        public var password: String?

        /// A server of `kind` at `host:port`.
        public init(kind: Kind, host: String, port: Int, username: String? = nil, password: String? = nil) {
            self.kind = kind
            self.host = host
            self.port = port
            self.username = username
            self.password = password
        }
    }

    /// How one request is sent.
    public enum Route: Sendable, Hashable {
        /// Straight to the server.
        case direct
        /// Through this proxy.
        case proxy(Server)
        /// The variable that applies is unusable; the message says which and why.
        case unusable(String)
    }

    /// The route for `https://` URLs.
    public var https: Route
    /// The route for `http://` URLs.
    public var http: Route
    /// Hosts reached directly whatever the proxy variables say.
    public var noProxy: NoProxyList

    /// Settings from `environment` (normally the process environment).
    public init(environment: [String: String]) {
        func first(_ names: [String]) -> (name: String, value: String)? {
            for name in names {
                if let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return (name, value) }
            }
            return nil
        }
        let all = ["all_proxy", "ALL_PROXY"]
        https = first(["https_proxy", "HTTPS_PROXY"] + all).map { Self.route(variable: $0.name, value: $0.value) } ?? .direct
        http = first(["http_proxy", "HTTP_PROXY"] + all).map { Self.route(variable: $0.name, value: $0.value) } ?? .direct
        noProxy = NoProxyList(first(["no_proxy", "NO_PROXY"])?.value ?? "")
    }

    /// No proxy for anything.
    public static let none = ProxySettings(environment: [:])

    /// The route for a request to `url`.
    public func route(for url: String) -> Route {
        guard let parsed = URLComponents(string: url), let host = parsed.host?.lowercased(), !host.isEmpty else { return .direct }
        let scheme = parsed.scheme?.lowercased()
        let port = parsed.port ?? (scheme == "https" ? 443 : 80)
        if BaseURL.isLoopback(url) || noProxy.contains(host: host, port: port) { return .direct }
        switch scheme {
        case "https": return https
        case "http": return http
        default: return .direct
        }
    }

    /// Every proxy server some route uses.
    var servers: Set<Server> {
        var servers = Set<Server>()
        for case .proxy(let server) in [https, http] { servers.insert(server) }
        return servers
    }

    /// Parses one variable's value. Messages show the scheme, host and port, never credentials.
    static func route(variable: String, value: String) -> Route {
        let text = value.contains("://") ? value : "http://" + value
        guard let parts = URLComponents(string: text), let scheme = parts.scheme?.lowercased() else {
            return .unusable("\(variable) is not a proxy URL (expected http://host:port)")
        }
        guard let rawHost = parts.host, !rawHost.isEmpty else {
            return .unusable("\(variable) names no proxy host (expected http://host:port)")
        }
        let host = rawHost.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let shown = "\(scheme)://\(rawHost)\(parts.port.map { ":\($0)" } ?? "")"
        let kind: Server.Kind
        let defaultPort: Int
        switch scheme {
        case "http":
            kind = .http
            defaultPort = 80
        case "socks5", "socks5h":
            kind = .socks5
            defaultPort = 1080
        case "https":
            return .unusable("\(variable)=\(shown): proxies reached over TLS are not supported; use an http:// proxy URL")
        default:
            return .unusable("\(variable)=\(shown): unsupported proxy scheme '\(scheme)' (use http://, socks5:// or socks5h://)")
        }
        let port = parts.port ?? defaultPort
        guard (1...65_535).contains(port) else { return .unusable("\(variable)=\(shown): the port must be 1-65535") }
        let username = parts.user.flatMap { $0.isEmpty ? nil : $0 }
        if kind == .socks5 && username != nil {
            return .unusable("\(variable)=\(shown): SOCKS proxies with a user name are not supported")
        }
        return .proxy(Server(kind: kind, host: host, port: port, username: username, password: username == nil ? nil : parts.password ?? ""))
    }
}

/// A proxy variable that applies to a request but cannot be used; `message` names the variable.
package struct ProxyConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, without credentials.
    package var message: String
    /// The message.
    package var description: String { message }
}
