import Foundation
import Testing
import KodeKernel
import KodeTestSupport

/// A running host's socket (`<store>/host/`, or the `/tmp/kode-<uid>/` fallback) cannot be reached
/// from a confined command: Landlock does not stop `connect()` to a pathname socket, so the
/// launcher covers those directories with an empty one. A listening socket stands in for the host.
@Suite(.enabled(if: landlockPlatform, "Landlock is Linux's"))
struct HostSocketEscapeTests {
    static let confinedModes: [SandboxMode] = [.workspaceWrite, .readOnly]

    /// Sockets listening where a host would put one: beside the store and in the fallback directory.
    static func hostSockets(for harness: ConfinedHarness) throws -> [ListeningUnixSocket] {
        let directories = [HostDirectories.directory(storeRoot: harness.store).path, HostDirectories.socketFallback]
        for directory in directories {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        return [
            try ListeningUnixSocket(at: directories[0] + "/kode.sock"),
            try ListeningUnixSocket(at: directories[1] + "/test-\(UUID().uuidString.prefix(8)).sock"),
        ]
    }

    @Test(arguments: confinedModes)
    func theHostSocketCannotBeReached(mode: SandboxMode) async throws {
        let harness = try ConfinedHarness(SandboxConfig(mode: mode), store: true)
        try harness.requireConfined()
        let sockets = try Self.hostSockets(for: harness)
        // The same sockets from an unconfined command: they are really there and listening.
        let full = try LocalSandbox(workDir: harness.work.url, commands: SandboxConfig(mode: .full), storeRoot: harness.store)
        for socket in sockets {
            let reached = try await Self.run(socket.connectCommand(), in: full)
            #expect(reached.hasPrefix("connected\n"), "\(reached)")
            let refused = try await harness.run(socket.connectCommand())
            #expect(refused.isError, "\(socket.path): \(refused.content)")
            #expect(!refused.content.contains("connected\n"), "\(socket.path): \(refused.content)")
            // Through the test process's own root, which Landlock's ptrace rules keep closed.
            let viaProc = try await harness.run(socket.connectCommand(through: "/proc/\(getpid())/root" + socket.path))
            #expect(!viaProc.content.contains("connected\n"), "\(socket.path) via /proc: \(viaProc.content)")
        }
    }

    @Test func aSocketElsewhereIsStillReachable() async throws {
        // Not a blanket AF_UNIX ban: tools that talk over their own sockets keep working.
        let harness = try ConfinedHarness(store: true)
        try harness.requireConfined()
        let socket = try ListeningUnixSocket(at: harness.work.appending("tool.sock").path)
        let output = try await harness.run(socket.connectCommand())
        #expect(output.content.hasPrefix("connected\n"), "\(output.content)")
    }

    private static func run(_ command: String, in sandbox: LocalSandbox) async throws -> String {
        let context = ToolContext(agentId: "agent_escape", callId: "call_full", sandbox: sandbox, todos: NoTodoBoard())
        return try await BashRunTool().run(.object(["cmd": .string(command)]), context: context).content
    }
}
