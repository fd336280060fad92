import Foundation
import KodeKernel
import KodeProviders
import KodeTestSupport
import Testing

/// Requests through a real (loopback) HTTP proxy that speaks CONNECT.
@Suite("Proxies")
struct ProxyTransportTests {
    /// The base URL names a host that does not resolve: only the proxy can reach the server.
    @Test func aRequestGoesThroughTheProxyWithItsCredentials() async throws {
        let server = try await LoopbackHTTPServer.start([.sse(Transcripts.OpenAI.textReply("Via the proxy."))])
        let proxy = try ConnectProxy(targetPort: server.port, requiredCredentials: "me:p@ss")
        let client = SharedHTTPClient(
            connectTimeout: .seconds(5), proxies: ProxySettings(environment: ["http_proxy": "http://me:p%40ss@127.0.0.1:\(proxy.port)"]))
        let provider = HTTPModelProvider(
            .openAI, model: "gpt-4o-mini", apiKey: "sk-test", baseURL: "http://models.kode-test.invalid:\(server.port)/v1", client: client, policy: testPolicy)
        let collected = await collect(provider.stream(sampleRequest()))
        try await client.shutdown()
        proxy.stop()
        await server.shutdown()

        #expect(collected.error == nil, "\(String(describing: collected.error))")
        #expect(collected.text == "Via the proxy.")
        let head = try #require(proxy.heads.first)
        #expect(head.hasPrefix("CONNECT models.kode-test.invalid:\(server.port) HTTP/1.1"))
        #expect(server.requests.first?.path == "/v1/chat/completions")
        #expect(server.requests.first?.header("authorization") == "Bearer sk-test")
    }

    @Test func aProxyThatWantsCredentialsIsAClearErrorAndNotRetried() async throws {
        let server = try await LoopbackHTTPServer.start([])
        let proxy = try ConnectProxy(targetPort: server.port, requiredCredentials: "me:secret")
        // AsyncHTTPClient keeps trying new connections until the connect timeout passes, then
        // reports the 407; keep that wait short.
        let client = SharedHTTPClient(connectTimeout: .seconds(1), proxies: ProxySettings(environment: ["HTTP_PROXY": "127.0.0.1:\(proxy.port)"]))
        let provider = HTTPModelProvider(
            .openAI, model: "gpt-4o-mini", apiKey: "sk-test", baseURL: "http://models.kode-test.invalid/v1", client: client, policy: testPolicy)
        let collected = await collect(provider.stream(sampleRequest()))
        try await client.shutdown()
        proxy.stop()
        await server.shutdown()

        let error = try #require(collected.modelError)
        #expect(error.kind == .transport)
        #expect(error.message.contains("407"), "\(error.message)")
        #expect(!error.message.contains("attempts"), "\(error.message)")
        #expect(!proxy.heads.isEmpty && proxy.heads.allSatisfy { !$0.lowercased().contains("proxy-authorization") })
    }

    @Test func anUnusableProxyVariableFailsBeforeConnecting() async throws {
        let client = SharedHTTPClient(connectTimeout: .seconds(1), proxies: ProxySettings(environment: ["HTTPS_PROXY": "https://me:secret@proxy.corp:443"]))
        let provider = HTTPModelProvider(.anthropic, model: "claude-sonnet-4-5", apiKey: "sk-ant-k", baseURL: "https://api.anthropic.com", client: client, policy: testPolicy)
        let collected = await collect(provider.stream(sampleRequest()))
        try await client.shutdown()
        let error = try #require(collected.modelError)
        #expect(error.kind == .transport)
        #expect(error.message.hasPrefix("anthropic: HTTPS_PROXY=https://proxy.corp:443: proxies reached over TLS are not supported"), "\(error.message)")
        #expect(!error.message.contains("attempts"))
    }

    @Test func loopbackServersAreReachedDirectlyWhateverTheProxy() async throws {
        // The proxy port is closed: a request sent to it would fail.
        let client = SharedHTTPClient(connectTimeout: .seconds(2), proxies: ProxySettings(environment: ["HTTP_PROXY": "127.0.0.1:9"]))
        let server = try await LoopbackHTTPServer.start([.sse(Transcripts.OpenAI.textReply("Direct."))])
        let provider = HTTPModelProvider(.openAI, model: "llama", apiKey: nil, baseURL: server.baseURL("/v1"), client: client, policy: testPolicy)
        let collected = await collect(provider.stream(sampleRequest()))
        try await client.shutdown()
        await server.shutdown()
        #expect(collected.text == "Direct.")
    }
}
