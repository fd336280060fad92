import Testing
import KodeKernel

/// A custom tool, registered the way an embedding app would.
private struct EchoTool: Tool {
    var name = "echo"
    var description = "Echo the text back."
    var inputSchema: JSONValue = ["type": "object", "properties": ["text": ["type": "string"]], "required": ["text"], "additionalProperties": false]
    var isReadOnly: Bool { true }

    func run(_ input: JSONValue, context: ToolContext) async throws -> ToolOutput {
        ToolOutput(content: input["text"]?.stringValue ?? "")
    }
}

@Suite struct ToolRegistryTests {
    @Test func builtinsInOrder() {
        let registry = ToolRegistry.builtins()
        #expect(registry.names == ["fs_read", "fs_write", "fs_edit", "fs_multi_edit", "fs_glob", "fs_grep", "bash_run", "bash_logs", "bash_kill", "todo_read", "todo_write"])
        #expect(registry.definitions.map(\.name) == registry.names)
        #expect(registry.tool(named: "fs_read")?.isReadOnly == true)
        #expect(registry.tool(named: "bash_run")?.isReadOnly == false)
        #expect(registry.tool(named: "nope") == nil)
    }

    @Test func customToolRegistersAndRuns() async throws {
        var registry = ToolRegistry.builtins()
        registry.register(EchoTool())
        #expect(registry.names.last == "echo")
        let harness = try ToolHarness()
        let tool = try #require(registry.tool(named: "echo"))
        let output = try await harness.run(tool, ["text": "hello"])
        #expect(output.content == "hello")
    }

    @Test func duplicateNameReplacesInPlace() {
        var registry = ToolRegistry([EchoTool(), FsReadTool()])
        registry.register(EchoTool(description: "replaced"))
        #expect(registry.names == ["echo", "fs_read"])
        #expect(registry.tool(named: "echo")?.description == "replaced")
        #expect(registry.definitions.count == 2)
    }
}
