import Foundation
import KodeKernel
import KodeMCP
import KodeTestSupport
import MCP
import Testing

@Suite("MCP servers over stdio")
struct StdioServerTests {
    @Test func aServerFromPyPIListsAndRunsItsTools() async throws {
        let box = MCPToolbox(servers: [MCPFixtures.time])
        let (tools, unavailable) = await box.tools()
        #expect(unavailable.isEmpty, "\(unavailable)")
        let tool = try #require(tools.first { $0.name == "mcp__time__get_current_time" })
        #expect(tool.inputSchema.objectValue?["properties"]?.objectValue?["timezone"] != nil)
        #expect(tool.isReadOnly == false)
        let result = try await tool.connection.call("get_current_time", arguments: ["timezone": .string("Europe/Paris")])
        #expect(result.isError == false)
        let text = try #require(firstText(result.content))
        #expect(text.contains("Europe/Paris"))
        await box.shutDown()
    }

    @Test func includeAndExcludeListsDecideWhatTheModelSees() async throws {
        let fixtures = try MCPFixtures()
        var config = fixtures.scripted()
        let box = MCPToolbox(servers: [config])
        #expect(await box.tools().tools.map(\.name).sorted() == ["mcp__fixture__count", "mcp__fixture__echo"])
        await box.shutDown()
        config.includedTools = ["echo", "secret"]
        let narrowed = MCPToolbox(servers: [config])
        #expect(await narrowed.tools().tools.map(\.name) == ["mcp__fixture__echo"])
        await narrowed.shutDown()
    }

    @Test func aModelCallsAServerToolThroughTheAgent() async throws {
        let fixtures = try MCPFixtures()
        let box = MCPToolbox(servers: [fixtures.scripted()])
        var registry = ToolRegistry.builtins()
        for tool in await box.tools().tools { registry.register(tool) }
        let script = #"{"turns":[{"tool_calls":[{"name":"mcp__fixture__echo","input":{"text":"plum-42"}}]},{"text":"done"}]}"#
        let h = try await AgentHarness.make(script: script, permission: .auto, tools: registry)
        _ = try await h.agent.chat("use the server")
        let calls = await h.agent.snapshot().toolCalls.values
        let call = try #require(calls.first { $0.name == "mcp__fixture__echo" })
        #expect(call.state == .completed)
        #expect(call.outputPreview == "plum-42")
        #expect(call.isError == false)
        await h.tearDown()
        await box.shutDown()
    }

    @Test func schemaViolationsAreCaughtBeforeTheServerIsCalled() async throws {
        let fixtures = try MCPFixtures()
        let box = MCPToolbox(servers: [fixtures.scripted()])
        var registry = ToolRegistry.builtins()
        for tool in await box.tools().tools { registry.register(tool) }
        let script = #"{"turns":[{"tool_calls":[{"name":"mcp__fixture__echo","input":{"text":5}}]},{"tool_calls":[{"name":"mcp__fixture__count","input":{}}]},{"text":"done"}]}"#
        let h = try await AgentHarness.make(script: script, permission: .auto, tools: registry)
        _ = try await h.agent.chat("go")
        let calls = await h.agent.snapshot().toolCalls.values
        let bad = try #require(calls.first { $0.name == "mcp__fixture__echo" })
        #expect(bad.isError)
        #expect(bad.outputPreview?.contains("text") == true, "\(bad.outputPreview ?? "")")
        // The server answered only the valid call.
        let count = try #require(calls.first { $0.name == "mcp__fixture__count" })
        #expect(count.outputPreview == "1")
        await h.tearDown()
        await box.shutDown()
    }

    @Test func stderrGoesToTheReportNotTheResult() async throws {
        let fixtures = try MCPFixtures()
        let events = ReportedEvents()
        let connection = MCPServerConnection(config: fixtures.scripted()) { events.record($0) }
        let result = try await connection.call("echo", arguments: ["text": "hi", "mode": "stderr"])
        let text = try #require(firstText(result.content))
        #expect(text == "hi")
        // The line is read on a thread of its own, so it may be reported after the answer.
        await events.wait { $0 == .stderr("fixture: about to echo") }
        #expect(events.all.contains(.started(tools: 3)))
        await connection.shutDown()
    }
}
