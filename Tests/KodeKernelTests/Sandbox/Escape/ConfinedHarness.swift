import Foundation
import Testing
import KodeKernel
import KodeTestSupport

/// A work directory confined by a `LocalSandbox` in one mode, an "outside" directory next to it
/// (another temporary directory, so nothing outside is at risk), and `bash_run` to try escapes with.
struct ConfinedHarness {
    let work: TemporaryDirectory
    let outside: TemporaryDirectory
    let sandbox: LocalSandbox

    /// With `store`, the sandbox has an agent store at `<work>/.kode` (made here), as by default.
    init(_ config: SandboxConfig = SandboxConfig(), store: Bool = false) throws {
        work = try TemporaryDirectory(prefix: "kode-escape-work")
        outside = try TemporaryDirectory(prefix: "kode-escape-outside")
        let storeRoot = store ? work.appending(".kode") : nil
        if let storeRoot { try FileManager.default.createDirectory(at: storeRoot.appendingPathComponent("agents"), withIntermediateDirectories: true) }
        sandbox = try LocalSandbox(workDir: work.url, commands: config, storeRoot: storeRoot)
    }

    /// The store's root, when the harness has one.
    var store: URL { work.appending(".kode") }

    /// Runs `tool` with `input` as the model would.
    func run(_ tool: any Tool, _ input: [String: JSONValue]) async throws -> ToolOutput {
        try JSONSchema.validate(.object(input), against: tool.inputSchema)
        let context = ToolContext(agentId: "agent_escape", callId: "call_\(UUID().uuidString.prefix(8))", sandbox: sandbox, todos: NoTodoBoard())
        return try await tool.run(.object(input), context: context)
    }

    /// Runs `command` with `bash_run` as the model would.
    func run(_ command: String, _ extra: [String: JSONValue] = [:]) async throws -> ToolOutput {
        var input: [String: JSONValue] = ["cmd": .string(command)]
        for (key, value) in extra { input[key] = value }
        return try await run(BashRunTool(), input)
    }

    /// True when `relative` exists in the work directory.
    func inside(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: work.appending(relative).path) }
    /// True when `relative` exists in the outside directory.
    func outsideHas(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: outside.appending(relative).path) }

    /// Fails the test unless this machine confines commands (the suite means nothing otherwise).
    func requireConfined() throws {
        guard case .confined = sandbox.confinement else {
            Issue.record("commands are not confined here: \(sandbox.confinement); the escape suite needs Landlock and kode-confine built")
            throw ConfinementMissing()
        }
    }

    struct ConfinementMissing: Error {}
}

/// No todo list: the escape tests never use it.
struct NoTodoBoard: TodoBoard {
    func todos() async -> [TodoItem] { [] }
    func replace(with todos: [TodoItem]) async throws {}
}

/// Landlock is Linux's; elsewhere commands are unconfined and these suites do not apply.
#if os(Linux)
let landlockPlatform = true
#else
let landlockPlatform = false
#endif
