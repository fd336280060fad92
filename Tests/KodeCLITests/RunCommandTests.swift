import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("kode run")
struct RunCommandTests {
    @Test("--json prints one envelope per line, ends after done, and names the agent first on stderr")
    func jsonRun() async throws {
        let f = try CLIFixture()
        let script = try f.script(#"{"turns":[{"text":"hi","tool_calls":[{"name":"bash_run","input":{"cmd":"echo hello"}}]},{"text":"bye"}]}"#)
        let result = try await f.run(script, ["--json", "--permission", "auto", "--prompt", "go"])
        #expect(result.status == 0, "\(result.stderr)")
        let id = try #require(result.agentId)
        let decoder = EventEnvelope.lineDecoder()
        let envelopes = try result.lines.map { try decoder.decode(EventEnvelope.self, from: Data($0.utf8)) }
        #expect(envelopes.allSatisfy { $0.agentId == id })
        #expect(envelopes.last?.event.type == .done)
        let first = try JSONValue.parse(try #require(result.lines.first))
        for key in ["seq", "timestamp", "channel", "type", "agentId"] { #expect(first[key] != nil, "missing \(key)") }
        let ends = envelopes.compactMap { if case .toolEnd(let e) = $0.event { return e } else { return nil } }
        #expect(ends.count == 1)
        #expect(ends.first?.outputPreview.contains("hello") == true)
    }

    @Test("bad usage, a bad script and a missing workdir exit 2 with a message that says what and where")
    func usageErrors() async throws {
        let f = try CLIFixture()
        let bad = try f.script(#"{"turns":[{"tool_calls":[{"input":{}}]}]}"#)
        let r1 = try await f.run(bad, ["--prompt", "x"])
        #expect(r1.status == 2)
        #expect(r1.stderr.contains("turns[0].tool_calls[0].name"))
        let notJSON = try f.script("{turns: nope", name: "broken.json")
        let r2 = try await f.run(notJSON, ["--prompt", "x"])
        #expect(r2.status == 2)
        #expect(r2.stderr.contains("broken.json"))
        let r3 = try await KodeCLI.run(["run", "--store", f.store, "--workdir", f.root.appendingPathComponent("missing").path, "--provider", "demo", "--prompt", "x"])
        #expect(r3.status == 2)
        #expect(r3.stderr.contains("does not exist"))
        let r4 = try await KodeCLI.run(["run", "--no-such-flag"])
        #expect(r4.status == 2)
        let r5 = try await KodeCLI.run(["run", "--provider", "nonsense", "--prompt", "x", "--store", f.store])
        #expect(r5.status == 2)
        #expect(r5.stderr.contains("unknown provider"))
    }

    @Test("unknown tools and bad arguments reach the model as errors; the run still finishes")
    func toolErrors() async throws {
        let f = try CLIFixture()
        let script = try f.script(#"{"turns":[{"tool_calls":[{"name":"teleport","input":{}},{"name":"fs_read","input":{"path":7}}]},{"text":"ok"}]}"#)
        let result = try await f.run(script, ["--json", "--prompt", "go"])
        #expect(result.status == 0, "\(result.stderr)")
        let id = try #require(result.agentId)
        let events = try await f.events(id)
        let ends = events.compactMap { if case .toolEnd(let e) = $0.event { return e } else { return nil } }
        #expect(ends.map(\.state) == [.failed, .failed])
        let errors = events.compactMap { if case .toolError(let e) = $0.event { return e.message } else { return nil } }
        #expect(errors.contains { $0.contains("Unknown tool 'teleport'") })
        #expect(errors.contains { $0.contains("input.path") })
    }

    @Test("--max-steps ends the turn with a clear error and exit 1")
    func maxSteps() async throws {
        let f = try CLIFixture()
        let step = #"{"tool_calls":[{"name":"fs_glob","input":{"pattern":"*"}}]}"#
        let script = try f.script("{\"turns\":[\(step),\(step),\(step)]}")
        let result = try await f.run(script, ["--prompt", "go", "--max-steps", "2"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("step limit"))
    }

    @Test("an approval with no terminal stops with exit 3; approve then continue finishes; a second decision fails")
    func approveFlow() async throws {
        let f = try CLIFixture()
        let script = try f.script(#"{"turns":[{"tool_calls":[{"name":"fs_write","input":{"path":"out.txt","content":"made"}}]},{"text":"written"}]}"#)
        let first = try await f.run(script, ["--prompt", "write it"])
        #expect(first.status == 3, "\(first.stderr)")
        let id = try #require(first.agentId)
        let pending = first.lines.filter { $0.hasPrefix("pending ") }.map { String($0.dropFirst("pending ".count)) }
        #expect(pending == ["toolu_0_0"])
        #expect(!FileManager.default.fileExists(atPath: f.workDir + "/out.txt"))

        let approve = try await KodeCLI.run(["approve", id, "toolu_0_0", "--allow", "--note", "fine", "--store", f.store])
        #expect(approve.status == 0, "\(approve.stderr)")
        let again = try await KodeCLI.run(["approve", id, "toolu_0_0", "--deny", "--store", f.store])
        #expect(again.status != 0)
        #expect(again.stderr.contains("not pending"))

        let resumed = try await KodeCLI.run(["run", "--agent", id, "--continue", "--store", f.store])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try String(contentsOfFile: f.workDir + "/out.txt", encoding: .utf8) == "made")
        let messages = try await f.export(id)["messages"]?.arrayValue ?? []
        #expect(messages.count == 4)
    }

    @Test("--approve none denies in headless runs")
    func approveNone() async throws {
        let f = try CLIFixture()
        let script = try f.script(#"{"turns":[{"tool_calls":[{"name":"bash_run","input":{"cmd":"touch nope"}}]},{"text":"fine"}]}"#)
        let result = try await f.run(script, ["--prompt", "x", "--approve", "none"])
        #expect(result.status == 0)
        #expect(!FileManager.default.fileExists(atPath: f.workDir + "/nope"))
    }
}
