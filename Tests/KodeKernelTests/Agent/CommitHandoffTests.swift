import Foundation
import KodeKernel
import KodeTestSupport
import Synchronization
import Testing

/// Commits take turns, and the one whose turn comes writes everything recorded by then —
/// records of commits still waiting behind it included. When that write fails, a commit behind
/// it must fail too: its records went down with the failed one. (It used to return as if they
/// were stored, so a tool could run with its start on no disk.)
@Suite("Commits waiting behind a failed one")
struct CommitHandoffTests {
    /// A file layer whose next file sync waits until released, and whose writes can be made to fail.
    final class GatedFileIO: FileIO, Sendable {
        let base = PosixFileIO()
        private let state = Mutex((holdNextSync: false, failWrites: false, held: nil as (@Sendable () -> Void)?))
        private let release = DispatchSemaphore(value: 0)

        /// The next `sync` calls `entered` and then waits for `releaseSync()` (on the store's
        /// sync thread, never on a cooperative one).
        func holdNextSync(_ entered: @escaping @Sendable () -> Void) { state.withLock { $0 = (true, $0.failWrites, entered) } }
        func releaseSync() { release.signal() }
        func failWrites() { state.withLock { $0.failWrites = true } }

        func sync(_ fd: Int32) throws {
            let entered = state.withLock { s -> (@Sendable () -> Void)? in
                guard s.holdNextSync else { return nil }
                s.holdNextSync = false
                return s.held
            }
            if let entered {
                entered()
                release.wait()
            }
            try base.sync(fd)
        }

        func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: UInt64) throws {
            if state.withLock({ $0.failWrites }) { throw FileIOError(operation: "write", path: "fd \(fd)", code: EIO) }
            try base.write(fd, bytes, at: offset)
        }

        func open(_ path: String, mode: FileOpenMode) throws -> Int32 { try base.open(path, mode: mode) }
        func close(_ fd: Int32) { base.close(fd) }
        func read(_ fd: Int32, at offset: UInt64, count: Int) throws -> [UInt8] { try base.read(fd, at: offset, count: count) }
        func truncate(_ fd: Int32, to length: UInt64) throws { try base.truncate(fd, to: length) }
        func size(_ fd: Int32) throws -> UInt64 { try base.size(fd) }
        func tryLock(_ fd: Int32) throws -> Bool { try base.tryLock(fd) }
        func syncDirectory(_ path: String) throws { try base.syncDirectory(path) }
        func rename(_ from: String, to: String) throws { try base.rename(from, to: to) }
        func makeDirectory(_ path: String) throws -> Bool { try base.makeDirectory(path) }
        func contentsOfDirectory(_ path: String) throws -> [String] { try base.contentsOfDirectory(path) }
        func remove(_ path: String) throws { try base.remove(path) }
        func exists(_ path: String) -> Bool { base.exists(path) }
    }

    /// Waits (bounded) until `agent` has recorded `count` queued inputs.
    func waitForQueuedInputs(_ agent: Agent, _ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while await agent.snapshot().queuedInputs.count < count {
            try #require(ContinuousClock.now < deadline, "the inputs were never recorded")
            await Task.yield()
        }
    }

    @Test("a durable commit whose records a failed commit took fails instead of returning as stored")
    func waitingCommitFailsWithTheOneAhead() async throws {
        let directory = try TemporaryDirectory(prefix: "kode-commit-handoff")
        let io = GatedFileIO()
        let h = try await AgentHarness.make(script: #"{"turns":[{"text":"one"},{"text":"two"}]}"#, store: try FileStore(root: directory.url, io: io))
        let agent = h.agent
        // Everything made so far synced, so the next sync is C's.
        _ = try await agent.chat("warm up")

        // C: its sync is held, so its commit keeps the turn.
        let (entered, enteredContinuation) = AsyncStream<Void>.makeStream()
        io.holdNextSync { enteredContinuation.yield() }
        let c = Task { try await agent.send("c") }
        var iterator = entered.makeAsyncIterator()
        _ = await iterator.next()

        // A and B record their inputs and wait behind C, A first.
        let a = Task { try await agent.send("a") }
        try await waitForQueuedInputs(agent, 2)
        let b = Task { try await agent.send("b") }
        try await waitForQueuedInputs(agent, 3)

        // C's sync completes; A's turn writes A's and B's records, and that write fails.
        io.failWrites()
        io.releaseSync()
        _ = try await c.value
        await #expect(throws: AgentError.self) { try await a.value }
        await #expect(throws: AgentError.self, "B returned as if its input were stored") { try await b.value }
        await agent.close()
    }
}
