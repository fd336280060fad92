import Foundation
import KodeKernel
import KodeMCP
import KodeTestSupport
import MCP
import Testing

@Suite("MCP servers over streamable HTTP")
struct HTTPServerTests {
    @Test func aServerOnThePythonSDKListsAndRunsItsTools() async throws {
        let directory = try TemporaryDirectory(prefix: "kode-mcp-http")
        let script = try FixtureMCPServer.writeHTTP(into: directory.url)
        let server = try await FixtureMCPServer.startHTTP(script: script)
        defer { server.signal(SIGKILL) }
        let config = MCPServerConfig(name: "web", transport: .http(url: server.url))
        let box = MCPToolbox(servers: [config])
        let (tools, unavailable) = await box.tools()
        #expect(unavailable.isEmpty, "\(unavailable)")
        let echo = try #require(tools.first { $0.name == "mcp__web__echo" })
        let result = try await echo.connection.call("echo", arguments: ["text": "over http"])
        let text = try #require(firstText(result.content))
        #expect(text == "over http")
        await box.shutDown()
    }

    @Test func aServerThatIsNotThereIsAClearError() async throws {
        let port = try FreePort.loopback()
        let config = MCPServerConfig(name: "gone", transport: .http(url: URL(string: "http://127.0.0.1:\(port)/mcp")!), startupTimeout: .seconds(10))
        let box = MCPToolbox(servers: [config])
        let (tools, unavailable) = await box.tools()
        #expect(tools.isEmpty)
        let failure = try #require(unavailable.first)
        #expect(failure.server == "gone")
        // Refused at once, normally; on a machine too busy to get the refusal through URLSession
        // within the startup time, the timeout says so instead. Either way: no hang, a reason.
        #expect(failure.reason.contains("could not start") || failure.reason.contains("did not finish starting"), "\(failure.reason)")
        #expect(!failure.reason.contains("Error Domain"), "a readable reason, not Foundation's dump: \(failure.reason)")
        await box.shutDown()
    }
}
