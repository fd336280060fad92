import KodeProviders
import Testing

@Suite("Proxy settings from the environment")
struct ProxySettingsTests {
    private func route(_ environment: [String: String], _ url: String) -> ProxySettings.Route {
        ProxySettings(environment: environment).route(for: url)
    }

    /// What an unusable route says, or nil for a usable one.
    private func unusableMessage(_ route: ProxySettings.Route) -> String? {
        guard case .unusable(let message) = route else { return nil }
        return message
    }

    private func server(_ host: String, _ port: Int, _ kind: ProxySettings.Server.Kind = .http, user: String? = nil, password: String? = nil)
        -> ProxySettings.Route
    {
        .proxy(ProxySettings.Server(kind: kind, host: host, port: port, username: user, password: password))
    }

    @Test func schemeChoosesTheVariableAndLowercaseWins() {
        let environment = ["HTTPS_PROXY": "http://upper:1", "https_proxy": "http://lower:2", "HTTP_PROXY": "plain:3"]
        #expect(route(environment, "https://api.anthropic.com/v1/messages") == server("lower", 2))
        #expect(route(environment, "http://models.internal/v1") == server("plain", 3))
        #expect(route(["HTTPS_PROXY": "proxy:8080"], "http://models.internal/v1") == .direct)
        #expect(route(["ALL_PROXY": "socks5://gate"], "https://api.openai.com/v1") == server("gate", 1080, .socks5))
        #expect(route(["https_proxy": "  ", "HTTPS_PROXY": "proxy:9"], "https://api.openai.com/v1") == server("proxy", 9))
        #expect(route([:], "https://api.openai.com/v1") == .direct)
    }

    @Test func valuesAreParsedWithDefaultsAndDecodedCredentials() {
        #expect(route(["HTTPS_PROXY": "http://proxy.corp"], "https://x.example") == server("proxy.corp", 80))
        #expect(route(["HTTPS_PROXY": "http://me:p%40ss%3Aword@proxy.corp:3128/"], "https://x.example")
            == server("proxy.corp", 3128, user: "me", password: "p@ss:word"))
        #expect(route(["HTTPS_PROXY": "http://me@proxy.corp:3128"], "https://x.example") == server("proxy.corp", 3128, user: "me", password: ""))
        #expect(route(["HTTPS_PROXY": "socks5h://gate:1081"], "https://x.example") == server("gate", 1081, .socks5))
        #expect(route(["HTTPS_PROXY": "http://[fd00::1]:3128"], "https://x.example") == server("fd00::1", 3128))
    }

    @Test func unusableValuesSayWhichVariableAndNeverTheCredentials() throws {
        for (value, fragment) in [
            ("https://me:secret@proxy.corp:443", "not supported"), ("ftp://proxy.corp", "unsupported proxy scheme"),
            ("socks5://me:secret@gate", "user name"), ("http://:8080", "no proxy host"),
        ] {
            let message = try #require(unusableMessage(route(["HTTPS_PROXY": value], "https://x.example")), "\(value) should be unusable")
            #expect(message.contains("HTTPS_PROXY"), "\(message)")
            #expect(message.contains(fragment), "\(message)")
            #expect(!message.contains("secret"), "\(message)")
        }
    }

    @Test func thisMachineIsAlwaysDirect() {
        let environment = ["HTTP_PROXY": "proxy:1", "HTTPS_PROXY": "proxy:1"]
        for url in ["http://127.0.0.1:11434/v1", "http://localhost:8080/v1", "https://[::1]:8000/v1", "http://127.1.2.3/v1"] {
            #expect(route(environment, url) == .direct, "\(url)")
        }
    }

    @Test func noProxyEntries() {
        let environment = [
            "HTTPS_PROXY": "proxy:1",
            "NO_PROXY": "internal.corp, .example.org,*.dev.test ,api.other.com:8443,10.0.0.0/8,192.168.1.7,fd00::/16,[fd01::5]:443",
        ]
        let direct = [
            "https://internal.corp/v1", "https://llm.internal.corp/v1", "https://example.org/x", "https://a.b.example.org/x",
            "https://box.dev.test/v1", "https://api.other.com:8443/v1", "https://10.20.30.40/v1", "https://192.168.1.7/v1",
            "https://[fd00::abcd]/v1", "https://[fd01::5]/v1", "https://INTERNAL.CORP/v1",
        ]
        let proxied = [
            "https://notinternal.corp/v1", "https://api.other.com/v1", "https://11.0.0.1/v1", "https://192.168.1.8/v1",
            "https://[fd02::1]/v1", "https://[fd01::5]:8443/v1", "https://dev.test.evil.com/v1",
        ]
        for url in direct { #expect(route(environment, url) == .direct, "\(url)") }
        for url in proxied { #expect(route(environment, url) == server("proxy", 1), "\(url)") }
        #expect(route(["HTTPS_PROXY": "proxy:1", "no_proxy": "*"], "https://api.openai.com/v1") == .direct)
        #expect(route(["HTTPS_PROXY": "proxy:1", "no_proxy": "openai.com", "NO_PROXY": "*"], "https://api.anthropic.com") == server("proxy", 1))
    }
}
