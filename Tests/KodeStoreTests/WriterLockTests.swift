import Foundation
import KodeKernel
import KodeTestSupport
import Testing

/// The writer lock is `flock(2)` on `agents/<id>/LOCK`; `/usr/bin/flock` takes the same lock
/// from a separate process, which makes it a faithful stand-in for a second Kode process.
@Suite struct WriterLockTests {
    static let flockTool = "/usr/bin/flock"

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: flockTool)))
    func anotherProcessHoldingTheLockRefusesOurWriterByName() async throws {
        let fixture = try await StoreFixture()
        // Another process takes the lock and names itself in the file, as a Kode writer does.
        // `--no-fork` makes the lock belong to `sleep` itself, so killing it frees the lock.
        try "pid 4242 on host elsewhere since 2026-01-01T00:00:00Z\n".write(to: fixture.lockFile, atomically: false, encoding: .utf8)
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: Self.flockTool)
        holder.arguments = ["--exclusive", "--no-fork", fixture.lockFile.path, "sleep", "30"]
        try holder.run()
        defer { Self.kill(holder) }
        // Wait until the child really holds it.
        var held = false
        for _ in 0..<200 where !held {
            held = try Self.run(["--exclusive", "--nonblock", fixture.lockFile.path, "true"]) != 0
            if !held { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(held, "the child never took the lock")
        let store = try fixture.makeStore()
        do {
            _ = try await store.openWriter(fixture.id)
            Issue.record("a second writer opened while another process held the lock")
        } catch let error as StoreError {
            #expect(error == .locked(fixture.id, holder: "pid 4242 on host elsewhere since 2026-01-01T00:00:00Z"))
            #expect(error.description.contains("locked by another process"))
        }
        // Readers do not care.
        #expect(try await store.records(of: fixture.id, after: 0).isEmpty)
        _ = try await store.history(of: fixture.id)
        Self.kill(holder)
        // Once the holder is gone (killed, here), the kernel has released its lock.
        let writer = try await store.openWriter(fixture.id)
        try await writer.close()
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: flockTool)))
    func ourWriterHoldsTheLockAgainstOtherProcessesAndNamesItself() async throws {
        let fixture = try await StoreFixture()
        let writer = try await fixture.makeStore().openWriter(fixture.id)
        #expect(try Self.run(["--exclusive", "--nonblock", fixture.lockFile.path, "true"]) != 0, "another process could take the lock")
        let text = try String(contentsOf: fixture.lockFile, encoding: .utf8)
        #expect(text.hasPrefix("pid \(ProcessInfo.processInfo.processIdentifier) on host "))
        // The same process is refused too, naming this process.
        do {
            _ = try await fixture.makeStore().openWriter(fixture.id)
            Issue.record("a second writer in the same process")
        } catch let StoreError.locked(id, holder) {
            #expect(id == fixture.id)
            #expect(holder.hasPrefix("pid \(ProcessInfo.processInfo.processIdentifier)"))
        }
        try await writer.close()
        #expect(try Self.run(["--exclusive", "--nonblock", fixture.lockFile.path, "true"]) == 0, "close did not release the lock")
    }

    @Test func deletingAnAgentThatIsBeingWrittenIsRefused() async throws {
        let fixture = try await StoreFixture()
        let store = try fixture.makeStore()
        let writer = try await store.openWriter(fixture.id)
        await #expect(throws: StoreError.self) { try await store.delete(fixture.id) }
        try await writer.close()
        try await store.delete(fixture.id)
        #expect(!FileManager.default.fileExists(atPath: fixture.agentDirectory.path))
    }

    /// SIGKILL, because a test runner may hand its children an ignored SIGTERM.
    static func kill(_ process: Process) {
        guard process.isRunning else { return }
        _ = Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    static func run(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: flockTool)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
