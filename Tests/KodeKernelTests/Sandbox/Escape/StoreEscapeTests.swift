import Foundation
import Testing
import KodeKernel
import KodeTestSupport

/// The agent's store inside the work directory (the default `./.kode` in `.`) is read-only to
/// commands and `fs_*` writes, while the rest of the work directory, `.git` included, is writable.
@Suite(.enabled(if: landlockPlatform, "Landlock is Linux's"))
struct StoreEscapeTests {
    @Test func aCommandCannotWriteTheStoreButWritesTheWorkDirectory() async throws {
        let harness = try ConfinedHarness(store: true)
        try harness.requireConfined()
        try Data("record".utf8).write(to: harness.store.appendingPathComponent("agents/log"))
        let output = try await harness.run("""
            echo in > inside.txt; cat .kode/agents/log; echo; echo x >> .kode/agents/log; echo x > .kode/escaped.txt; \
            mv inside.txt .kode/moved.txt; umount .kode; mount -o remount,rw .kode; echo x > .kode/after-umount.txt
            """)
        #expect(harness.inside("inside.txt"), "\(output.content)")
        #expect(try String(contentsOf: harness.store.appendingPathComponent("agents/log"), encoding: .utf8) == "record")
        for name in ["escaped.txt", "moved.txt", "after-umount.txt"] {
            #expect(!harness.inside(".kode/" + name), "\(name): \(output.content)")
        }
        #expect(output.content.hasPrefix("record\n"), "reading the store still works: \(output.content)")
        #expect(output.content.contains("Read-only file system"), "\(output.content)")
        #expect(output.content.contains("but not in the agent store \(harness.store.path)"), "\(output.content)")
    }

    @Test func gitStaysWritableBesideTheStore() async throws {
        let harness = try ConfinedHarness(store: true)
        try harness.requireConfined()
        let output = try await harness.run("""
            git init -q . && git config user.name Test && git config user.email test@example.com \
            && echo hello > a.txt && git add a.txt && git commit -qm first && git log --oneline | wc -l
            """)
        #expect(output.content.hasPrefix("1\n"), "\(output.content)")
    }

    @Test func fsWriteIntoTheStoreIsRefused() async throws {
        let harness = try ConfinedHarness(store: true)
        let refused = try await harness.run(FsWriteTool(), ["path": ".kode/agents/x.txt", "content": "x"])
        #expect(refused.isError)
        #expect(refused.content.contains("is inside the agent store \(harness.store.path)"), "\(refused.content)")
        #expect(!harness.inside(".kode/agents/x.txt"))
        try FileManager.default.createSymbolicLink(atPath: harness.work.appending("link").path, withDestinationPath: harness.store.path)
        let throughLink = try await harness.run(FsWriteTool(), ["path": "link/y.txt", "content": "y"])
        #expect(throughLink.isError, "\(throughLink.content)")
        #expect(!harness.inside(".kode/y.txt"))
        let allowed = try await harness.run(FsWriteTool(), ["path": "ok.txt", "content": "ok"])
        #expect(!allowed.isError, "\(allowed.content)")
        let read = try await harness.run(FsReadTool(), ["path": ".kode"])
        #expect(!read.content.contains("inside the agent store"), "reading is not refused: \(read.content)")
    }

    @Test func withoutAMountNamespaceTheStoreIsExposedOrRefused() {
        let support = ConfinementSupport(landlockABI: 7, network: .landlockTCP, mountNamespace: false, launcher: "/x/kode-confine")
        let exposed = CommandConfinement.expected(for: SandboxConfig(), support: support, needsMounts: true)
        guard case .partlyConfined(.workspaceWrite, false, _) = exposed else {
            Issue.record("expected partly confined, got \(exposed)")
            return
        }
        #expect(exposed.warning?.contains("the agent store stays writable") == true)
        let required = CommandConfinement.expected(for: SandboxConfig(requireConfinement: true), support: support, needsMounts: true)
        guard case .refused(.workspaceWrite, let reason) = required else {
            Issue.record("expected refused, got \(required)")
            return
        }
        #expect(reason.contains("no mount namespace"))
        #expect(CommandConfinement.expected(for: SandboxConfig(), support: support) == .confined(mode: .workspaceWrite, network: false))
    }
}
