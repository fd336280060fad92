import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("example-agent-inbox")
struct AgentInboxExampleTests {
    @Test("the todo list is printed as it changes, and the three read-only calls of one batch are in flight together")
    func todosAndConcurrency() async throws {
        let dir = try TemporaryDirectory(prefix: "example-agent-inbox")
        let result = try await ExampleProgram.run("agent-inbox", ["--scripted", "--store", dir.appending("store").path])
        #expect(result.status == 0, "\(result.stderr)")
        let out = result.stdout

        #expect(out.contains("todo list, version 1:\n  [>] Read the three messages\n  [ ] Sort them by urgency\n  [ ] Write the digest\n"))
        #expect(out.contains("todo list, version 2:\n  [x] Read the three messages\n  [x] Sort them by urgency\n  [>] Write the digest\n"))
        #expect(out.contains("todo list, version 3:\n  [x] Read the three messages\n  [x] Sort them by urgency\n  [x] Write the digest\n"))
        #expect(!out.contains("todo list, version 4:"))
        #expect(out.contains("open todos: 0"))
        #expect(out.contains("Digest: 1) ops: staging database down since 09:10 (urgent)."))

        // All three calls started before any of them ended: they ran at once.
        let lines = result.lines
        let starts = lines.indices.filter { lines[$0].hasPrefix("  → inbox_read") }
        let ends = lines.indices.filter { lines[$0].hasPrefix("  ← inbox_read completed") }
        #expect(starts.count == 3)
        #expect(ends.count == 3)
        #expect((starts.max() ?? .max) < (ends.min() ?? .min))
        #expect(out.contains("most tool calls in flight at once: 3"))
    }

    @Test("with a concurrency of 1 the same batch runs one call at a time")
    func oneAtATime() async throws {
        let dir = try TemporaryDirectory(prefix: "example-agent-inbox")
        let result = try await ExampleProgram.run("agent-inbox", ["--scripted", "--store", dir.appending("store").path, "--concurrency", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        let calls = result.lines.filter { $0.hasPrefix("  → inbox_read") || $0.hasPrefix("  ← inbox_read") }
        #expect(calls.map { $0.hasPrefix("  →") } == [true, false, true, false, true, false])
        #expect(result.stdout.contains("most tool calls in flight at once: 1"))
        #expect(result.stdout.contains("open todos: 0"))
    }

    @Test("a concurrency that is not a whole number ≥ 1 exits 2 and says so")
    func badConcurrency() async throws {
        let result = try await ExampleProgram.run("agent-inbox", ["--scripted", "--concurrency", "zero"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--concurrency needs a whole number ≥ 1, not 'zero'"))
    }
}
