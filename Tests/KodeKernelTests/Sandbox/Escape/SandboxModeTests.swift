import Foundation
import Testing
import KodeKernel
import KodeTestSupport

/// `full` changes nothing; a wider sandbox asked for one call gets exactly that; a machine that
/// cannot confine says so, and refuses when confinement is required.
@Suite(.enabled(if: landlockPlatform, "Landlock is Linux's"))
struct SandboxModeTests {
    @Test func fullChangesNothing() async throws {
        let server = try await LoopbackHTTPServer.start()
        let harness = try ConfinedHarness(SandboxConfig(mode: .full))
        #expect(harness.sandbox.confinement == .full)
        let output = try await harness.run("echo x > \(harness.outside.path)/escaped.txt && exec 3<>/dev/tcp/127.0.0.1/\(server.port) && echo connected")
        await server.shutdown()
        #expect(output.content == "connected\n[exit code 0]", "\(output.content)")
        #expect(harness.outsideHas("escaped.txt"))
    }

    @Test func askingForTheNetworkTurnsOnlyTheNetworkOn() async throws {
        let server = try await LoopbackHTTPServer.start()
        let harness = try ConfinedHarness()
        try harness.requireConfined()
        let output = try await harness.run(
            "exec 3<>/dev/tcp/127.0.0.1/\(server.port) && echo connected; echo x > \(harness.outside.path)/escaped.txt",
            ["sandbox": "network", "reason": "talks to the test server"])
        await server.shutdown()
        #expect(output.content.hasPrefix("connected\n"), "\(output.content)")
        #expect(!harness.outsideHas("escaped.txt"))
        #expect(output.content.contains("network on"), "\(output.content)")
    }

    @Test func askingForFullRunsUnconfined() async throws {
        let harness = try ConfinedHarness()
        try harness.requireConfined()
        let output = try await harness.run("echo x > \(harness.outside.path)/escaped.txt", ["sandbox": "full", "reason": "writes the shared cache"])
        #expect(!output.isError, "\(output.content)")
        #expect(harness.outsideHas("escaped.txt"))
    }

    @Test func aWiderSandboxNeedsAReason() async throws {
        let harness = try ConfinedHarness()
        let output = try await harness.run("true", ["sandbox": "full"])
        #expect(output.isError)
        #expect(output.content.contains("needs a reason"), "\(output.content)")
    }

    @Test func theNetworkSettingTurnsItOn() async throws {
        let server = try await LoopbackHTTPServer.start()
        let harness = try ConfinedHarness(SandboxConfig(network: true))
        try harness.requireConfined()
        #expect(harness.sandbox.confinement == .confined(mode: .workspaceWrite, network: true))
        let output = try await harness.run("exec 3<>/dev/tcp/127.0.0.1/\(server.port) && echo connected")
        await server.shutdown()
        #expect(output.content == "connected\n[exit code 0]", "\(output.content)")
    }

    @Test func extraWritablePathsAreWritable() async throws {
        let extra = try TemporaryDirectory(prefix: "kode-escape-extra")
        let harness = try ConfinedHarness(SandboxConfig(writablePaths: [extra.path]))
        try harness.requireConfined()
        let output = try await harness.run("echo x > \(extra.path)/ok.txt && echo x > \(harness.outside.path)/escaped.txt")
        #expect(FileManager.default.fileExists(atPath: extra.appending("ok.txt").path), "\(output.content)")
        #expect(!harness.outsideHas("escaped.txt"))
    }

    @Test func unavailableAndRequiredRefusesToRunCommands() async throws {
        let harness = try ConfinedHarness(SandboxConfig(requireConfinement: true, simulateUnavailable: true))
        guard case .refused(.workspaceWrite, _) = harness.sandbox.confinement else {
            Issue.record("expected refused, got \(harness.sandbox.confinement)")
            return
        }
        let output = try await harness.run("echo in > inside.txt")
        #expect(output.isError)
        #expect(!harness.inside("inside.txt"))
        #expect(output.content.contains("cannot be enforced on this machine"), "\(output.content)")
        #expect(output.content.contains("requires confinement"), "\(output.content)")
    }

    @Test func unavailableAndNotRequiredRunsButSaysSo() async throws {
        let harness = try ConfinedHarness(SandboxConfig(simulateUnavailable: true))
        guard case .unconfined(.workspaceWrite, _) = harness.sandbox.confinement else {
            Issue.record("expected unconfined, got \(harness.sandbox.confinement)")
            return
        }
        #expect(harness.sandbox.confinement.label == "unconfined")
        #expect(harness.sandbox.confinement.warning?.contains("UNCONFINED") == true)
        let output = try await harness.run("echo x > \(harness.outside.path)/escaped.txt")
        #expect(!output.isError)
        #expect(harness.outsideHas("escaped.txt"))
    }
}
