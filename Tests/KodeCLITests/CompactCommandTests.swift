import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("kode compact")
struct CompactCommandTests {
    @Test("summarises a stored agent's older conversation; export still prints every message")
    func compactsAStoredAgent() async throws {
        let f = try CLIFixture()
        let script = try f.script(#"{"turns":[{"text":"first"},{"text":"second"}],"summary":"two short exchanges"}"#)
        let first = try await f.run(script, ["--prompt", "one"])
        let id = try #require(first.agentId, "\(first.stderr)")
        #expect(try await KodeCLI.run(["run", "--agent", id, "--prompt", "two", "--store", f.store]).status == 0)

        let compacted = try await KodeCLI.run(["compact", id, "--instructions", "keep names", "--json", "--store", f.store])
        #expect(compacted.status == 0, "\(compacted.stderr)")
        let record = try JSONValue.parse(compacted.stdout)
        #expect(record["summary"]?.stringValue == "two short exchanges")
        #expect(record["instructions"]?.stringValue == "keep names")
        #expect(record["trigger"]?.stringValue == "manual")
        #expect((try await f.export(id)["messages"]?.arrayValue ?? []).count == 4)
    }

    @Test("an agent with nothing to compact (one message: the model failed) is a usage error saying so")
    func nothingToCompact() async throws {
        let f = try CLIFixture()
        let script = try f.script(#"{"turns":[{"error":"the model is down"}]}"#)
        let first = try await f.run(script, ["--prompt", "one"])
        let id = try #require(first.agentId, "\(first.stderr)")
        let refused = try await KodeCLI.run(["compact", id, "--store", f.store])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("nothing to compact"))
    }
}
