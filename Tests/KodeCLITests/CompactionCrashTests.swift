import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("Crash safety while compacting", .serialized)
struct CompactionCrashTests {
    /// One prompt; the first reply reports a nearly full window, so the next step compacts.
    static let script = #"""
        {"turns":[
          {"text":"looking","tool_calls":[{"name":"todo_read","input":{}}],"usage":{"input":11000,"output":10}},
          {"text":"finished"}],
         "summary":"The person asked a long question; the agent looked at its todos."}
        """#
    static let prompt = "go " + String(repeating: "a long question. ", count: 200)

    /// Window 20,000 tokens (the scripted model's entry overridden), compaction at 50%.
    static func environment(_ f: CLIFixture) throws -> [String: String] {
        let config = f.root.appendingPathComponent("xdg/kode")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "[context]\ncompaction_threshold = 50\nkeep_recent = 10\n\n[context_windows]\nscripted = 20000\n"
            .write(to: config.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
        return ["XDG_CONFIG_HOME": f.root.appendingPathComponent("xdg").path]
    }

    /// Runs the scenario with `fault`, resumes, and checks the invariants and that the compaction
    /// happened exactly once in the end. Returns false when the fault never fired.
    func crashAndResume(fault: [String: String], context: String) async throws -> Bool {
        let f = try CLIFixture()
        let round = CrashAndResume(script: Self.script, prompt: Self.prompt, finalText: "finished")
        let outcome = try await round.run(in: f, fault: fault, environment: try Self.environment(f), context: context)
        guard let id = outcome.agentId else { return outcome.fired }
        let messages = try await f.export(id)["messages"]?.arrayValue ?? []
        #expect(messages.count == 4, "the log keeps every message (\(context))")
        let compactions = try await f.events(id).compactMap { envelope -> ContextCompressionEvent? in
            if case .contextCompression(let e) = envelope.event, e.compactionId != nil { return e }
            return nil
        }
        #expect(compactions.count == 1, "one durable compaction (\(context)); got \(compactions.count)")
        return true
    }

    @Test("killed as it enters COMPACTING, the agent resumes and compacts again")
    func killEnteringCompacting() async throws {
        let fired = try await crashAndResume(fault: ["KODE_FAULT_KILL_AT_BREAKPOINT": "COMPACTING:1"], context: "killed entering COMPACTING")
        #expect(fired, "the scenario never compacted")
    }

    @Test("killed before and after every sync (the middle of compacting included), the agent resumes intact",
          arguments: ["before", "after"])
    func killAtEverySync(_ moment: String) async throws {
        var n = 1
        while try await crashAndResume(fault: ["KODE_FAULT_KILL_AT_SYNC": "\(n):\(moment)"], context: "killed \(moment) sync \(n)") {
            n += 1
        }
        #expect(n > 4, "the scenario synced only \(n - 1) times")
    }
}
