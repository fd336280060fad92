import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("example-approval")
struct ApprovalExampleTests {
    @Test("a hook, the policy and code answering the Control channel each decide their calls; an 'always' answer lets a later call through")
    func everyWayOfDeciding() async throws {
        let dir = try TemporaryDirectory(prefix: "example-approval")
        let work = dir.appending("work")
        let result = try await ExampleProgram.run(
            "approval", ["--scripted", "--store", dir.appending("store").path, "--workdir", work.path])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.lines

        // Only what neither the hook nor the policy settled reached the Control channel.
        let asked = lines.filter { $0.hasPrefix("approval asked: ") }
        #expect(asked.count == 4, "\(asked)")
        #expect(asked.contains { $0.contains("notes/plan.md") })
        #expect(asked.contains { $0.contains(".env") })
        #expect(asked.contains { $0.contains("secrets/token.txt") })
        #expect(asked.contains { $0.contains("ls -1 notes") })
        #expect(!asked.contains { $0.contains("echo") || $0.contains("rm -rf") || $0.contains("curl") || $0.contains("date") || $0.contains("$ ls notes (") })
        #expect(lines.contains("  decided: allow (always) by approval-example: listing is harmless: always allowed from now on"))
        #expect(lines.contains("  rule granted: allow bash_run(ls*)"))

        let expected = [
            "  bash_run(echo hello from the approval example) COMPLETED by policy",
            "  bash_run(rm -rf build) DENIED by policy",
            "  bash_run(curl https://example.com) DENIED by hook: this example's hook refuses network commands",
            "  bash_run(date) COMPLETED by hook",
            "  fs_write(notes/plan.md) COMPLETED by approval-example: notes/ is the agent's scratch space",
            "  fs_write(.env) DENIED by approval-example: only notes/ may be written",
            "  fs_read(secrets/token.txt) DENIED by approval-example: secrets stay secret",
            "  bash_run(ls -1 notes) COMPLETED by approval-example",
            "  bash_run(ls notes) COMPLETED by policy: matches always-allow rule \"bash_run(ls*)\"",
        ]
        let summary = Array(lines.drop { $0 != "how each call was decided:" }.dropFirst())
        #expect(summary.count == expected.count, "\(summary)")
        for (line, prefix) in zip(summary, expected) {
            #expect(line.hasPrefix(prefix), "\(line)")
        }

        // What ran and what did not, on disk.
        #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("notes/plan.md").path))
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent(".env").path))
        #expect(lines.contains { $0.hasPrefix("  bash_run COMPLETED: hello from the approval example") })
        #expect(lines.contains { $0.hasPrefix("  bash_run COMPLETED: Tue Dec  1 12:00:00 UTC 2026 (answered by the hook") })
    }
}
