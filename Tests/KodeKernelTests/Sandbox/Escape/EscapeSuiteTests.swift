import Foundation
import Testing
import KodeKernel
import KodeTestSupport

/// The escape suite of issue 16: every attempt from `bash_run`, with the network off, is refused
/// by the operating system while a write inside the work directory in the same command succeeds
/// (`workspace-write`) or is refused too (`read-only`).
@Suite(.enabled(if: landlockPlatform, "Landlock is Linux's"))
struct EscapeSuiteTests {
    static let confinedModes: [SandboxMode] = [.workspaceWrite, .readOnly]

    @Test(arguments: confinedModes, EscapeAttempt.all)
    func theAttemptIsRefused(mode: SandboxMode, attempt: EscapeAttempt) async throws {
        let harness = try ConfinedHarness(SandboxConfig(mode: mode))
        try harness.requireConfined()
        try attempt.prepare(harness.outside.path)
        let command = "echo in > inside.txt; " + attempt.command(harness.outside.path, harness.outside.url.lastPathComponent)
        let output = try await harness.run(command)
        #expect(!attempt.escaped(harness.outside.path), "\(attempt.name) got out: \(output.content)")
        #expect(harness.inside("inside.txt") == (mode == .workspaceWrite), "\(output.content)")
        #expect(output.isError, "\(output.content)")
        #expect(output.content.contains("kode: this command ran in the \(mode.rawValue) sandbox"), "\(output.content)")
    }

    @Test(arguments: confinedModes)
    func aBackgroundCommandIsConfinedToo(mode: SandboxMode) async throws {
        let harness = try ConfinedHarness(SandboxConfig(mode: mode))
        try harness.requireConfined()
        let output = try await harness.run("echo in > inside.txt; echo x > \(harness.outside.path)/escaped.txt; echo finished", ["background": true])
        let id = try #require(output.content.split(separator: " ").first { $0.hasPrefix("sh_") }.map(String.init))
        let shell = try harness.sandbox.backgroundShells.shell(id: id)
        await shell.waitUntilFinished()
        #expect(!harness.outsideHas("escaped.txt"))
        #expect(harness.inside("inside.txt") == (mode == .workspaceWrite))
    }

    @Test(arguments: confinedModes)
    func aLoopbackServerCannotBeReached(mode: SandboxMode) async throws {
        let server = try await LoopbackHTTPServer.start()
        let harness = try ConfinedHarness(SandboxConfig(mode: mode))
        try harness.requireConfined()
        let output = try await harness.run("exec 3<>/dev/tcp/127.0.0.1/\(server.port) && echo connected")
        await server.shutdown()
        #expect(output.isError)
        #expect(!output.content.contains("connected\n"), "\(output.content)")
        #expect(output.content.contains("no network"), "\(output.content)")
    }

    @Test(arguments: confinedModes)
    func namesDoNotResolve(mode: SandboxMode) async throws {
        let harness = try ConfinedHarness(SandboxConfig(mode: mode))
        try harness.requireConfined()
        let getent = try await harness.run("getent hosts example.com")
        #expect(getent.isError, "\(getent.content)")
        let python = try await harness.run("python3 -c \"import socket; socket.getaddrinfo('example.com', 443)\"")
        #expect(python.isError, "\(python.content)")
        #expect(python.content.contains("kode: this command ran in the \(mode.rawValue) sandbox"), "\(python.content)")
    }

    @Test func gitCommitWorksInsideInWorkspaceWrite() async throws {
        let harness = try ConfinedHarness()
        try harness.requireConfined()
        let output = try await harness.run("""
            git init -q . && git config user.name Test && git config user.email test@example.com \
            && echo hello > a.txt && git add a.txt && git commit -qm first && git log --oneline | wc -l
            """)
        #expect(!output.isError, "\(output.content)")
        #expect(output.content.hasPrefix("1\n"), "\(output.content)")
    }

    @Test func gitCommitIsRefusedInReadOnly() async throws {
        let harness = try ConfinedHarness(SandboxConfig(mode: .readOnly))
        try harness.requireConfined()
        let output = try await harness.run("git init -q .")
        #expect(output.isError, "\(output.content)")
        #expect(!harness.inside(".git"))
    }

    @Test func thePrivateTemporaryDirectoryIsWritable() async throws {
        let harness = try ConfinedHarness()
        try harness.requireConfined()
        let output = try await harness.run("f=$(mktemp) && echo x > \"$f\" && cat \"$f\" && python3 -c 'import tempfile; tempfile.TemporaryFile().write(b\"y\")'")
        #expect(output.content == "x\n[exit code 0]", "\(output.content)")
    }

    @Test func writesToDevNullAndThroughPipesWork() async throws {
        let harness = try ConfinedHarness(SandboxConfig(mode: .readOnly))
        try harness.requireConfined()
        let output = try await harness.run("echo hidden > /dev/null; echo shown | tee /dev/stderr > /dev/null")
        #expect(output.content == "shown\n[exit code 0]", "\(output.content)")
    }

    @Test func aFailureThatIsNotARefusalGetsNoSandboxLine() async throws {
        let harness = try ConfinedHarness()
        try harness.requireConfined()
        let output = try await harness.run("echo failing; exit 3")
        #expect(output.content == "failing\n[exit code 3]")
    }
}
