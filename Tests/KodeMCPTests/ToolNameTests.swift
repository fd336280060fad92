import Testing
@testable import KodeMCP

@Suite("MCP tool names")
struct ToolNameTests {
    @Test func namesAreVendorSafeAndDistinct() {
        #expect(MCPToolName.make(server: "time", tool: "get_current_time") == "mcp__time__get_current_time")
        #expect(MCPToolName.make(server: "my server", tool: "do.it/now") == "mcp__my_server__do_it_now")
        let long1 = MCPToolName.make(server: "s", tool: String(repeating: "a", count: 80) + "1")
        let long2 = MCPToolName.make(server: "s", tool: String(repeating: "a", count: 80) + "2")
        #expect(long1.count == 64 && long2.count == 64)
        #expect(long1 != long2)
    }

    @Test func backoffDoublesUpToHalfAMinute() {
        let backoff = RestartBackoff()
        #expect(backoff.delay(after: 1) == .milliseconds(500))
        #expect(backoff.delay(after: 2) == .seconds(1))
        #expect(backoff.delay(after: 4) == .seconds(4))
        #expect(backoff.delay(after: 20) == .seconds(30))
    }
}
