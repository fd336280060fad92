import Foundation
import KodeKernel
import KodeTestSupport

/// A real, empty temporary directory with helpers for the files tools work on; removed with
/// the last copy of the value.
struct TempDir {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory(prefix: "kode-tools")
    }

    var url: URL { directory.url }
    var path: String { url.path }

    func file(_ relative: String) -> URL {
        url.appendingPathComponent(relative)
    }

    @discardableResult
    func write(_ relative: String, _ text: String) throws -> URL {
        let target = file(relative)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: target)
        return target
    }

    func read(_ relative: String) throws -> String {
        String(decoding: try Data(contentsOf: file(relative)), as: UTF8.self)
    }

    func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: file(relative).path)
    }
}

/// A simple todo board for tests; the agent has its own.
actor TestTodoBoard: TodoBoard {
    private var items: [TodoItem] = []

    func todos() async -> [TodoItem] {
        items
    }

    func replace(with todos: [TodoItem]) async throws {
        items = todos
    }
}

/// A sandbox, a context and a temporary directory for running tools for real.
struct ToolHarness {
    let dir: TempDir
    let sandbox: LocalSandbox
    let board = TestTodoBoard()
    /// What the tools remember about files, as an agent's would.
    let files = FileAwareness()

    init() throws {
        dir = try TempDir()
        sandbox = try LocalSandbox(workDir: dir.url)
    }

    var context: ToolContext {
        ToolContext(agentId: "agent_test", callId: "call_\(UUID().uuidString.prefix(8))", sandbox: sandbox, todos: board, files: files)
    }

    /// Validates `input` against the tool's schema (as the agent does), then runs it.
    func run(_ tool: any Tool, _ input: JSONValue) async throws -> ToolOutput {
        try JSONSchema.validate(input, against: tool.inputSchema)
        return try await tool.run(input, context: context)
    }

    func cleanUp() async {
        files.stop()
        await sandbox.terminateAll()
    }
}
