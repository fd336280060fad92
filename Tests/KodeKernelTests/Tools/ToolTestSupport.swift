import Foundation
@testable import KodeKernel

/// A real, empty temporary directory, removed by `remove()`.
struct TempDir {
    let url: URL

    init() throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("kode-tools-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        // Resolve symlinks (macOS /tmp → /private/tmp) so comparisons with sandbox paths hold.
        url = URL(fileURLWithPath: try PhysicalPath.resolve(base.path))
    }

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

    func remove() {
        try? FileManager.default.removeItem(at: url)
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

    init() throws {
        dir = try TempDir()
        sandbox = try LocalSandbox(workDir: dir.url)
    }

    var context: ToolContext {
        ToolContext(agentId: "agent_test", callId: "call_\(UUID().uuidString.prefix(8))", sandbox: sandbox, todos: board)
    }

    /// Validates `input` against the tool's schema (as the agent does), then runs it.
    func run(_ tool: any Tool, _ input: JSONValue) async throws -> ToolOutput {
        try JSONSchema.validate(input, against: tool.inputSchema)
        return try await tool.run(input, context: context)
    }

    func cleanUp() async {
        await sandbox.terminateAll()
        dir.remove()
    }
}
