import Foundation
import KodeKernel
import KodeTestSupport
import Testing

@Suite("kode rename")
struct RenameCommandTests {
    @Test("gives a stored agent a title that kode agents lists, and --clear goes back to the first prompt")
    func renamesAndClears() async throws {
        let f = try CLIFixture()
        let script = try f.script(#"{"turns":[{"text":"ok"}]}"#)
        let first = try await f.run(script, ["--prompt", "tidy the repo\nplease"])
        let id = try #require(first.agentId, "\(first.stderr)")
        func title() async throws -> JSONValue? {
            let listed = try await KodeCLI.run(["agents", "--json", "--store", f.store])
            return try JSONValue.parse(listed.stdout).arrayValue?.first { $0["id"]?.stringValue == id }?["title"]
        }
        #expect(try await title()?.stringValue == "tidy the repo")

        let renamed = try await KodeCLI.run(["rename", id, "release", "prep", "--store", f.store])
        #expect(renamed.status == 0, "\(renamed.stderr)")
        #expect(renamed.stdout == "renamed \(id) \"release prep\"\n")
        #expect(try await title()?.stringValue == "release prep")
        let events = try await f.events(id)
        #expect(events.contains { $0.event == .agentRenamed(AgentRenamedEvent(title: "release prep", by: "cli")) })

        let cleared = try await KodeCLI.run(["rename", id, "--clear", "--store", f.store])
        #expect(cleared.status == 0, "\(cleared.stderr)")
        #expect(try await title()?.stringValue == "tidy the repo")
    }

    @Test("bad titles and bad usage are refused with exit 2 saying why")
    func refusals() async throws {
        let f = try CLIFixture()
        let script = try f.script(#"{"turns":[{"text":"ok"}]}"#)
        let id = try #require(try await f.run(script, ["--prompt", "x"]).agentId)
        let long = try await KodeCLI.run(["rename", id, String(repeating: "x", count: 121), "--store", f.store])
        #expect(long.status == 2 && long.stderr.contains("a title is at most 120 characters: this one has 121"), "\(long.stderr)")
        let lines = try await KodeCLI.run(["rename", id, "one\ntwo", "--store", f.store])
        #expect(lines.status == 2 && lines.stderr.contains("a title is one line"), "\(lines.stderr)")
        let none = try await KodeCLI.run(["rename", id, "--store", f.store])
        #expect(none.status == 2 && none.stderr.contains("missing the title"), "\(none.stderr)")
        let both = try await KodeCLI.run(["rename", id, "t", "--clear", "--store", f.store])
        #expect(both.status == 2 && both.stderr.contains("not both"), "\(both.stderr)")
        let unknown = try await KodeCLI.run(["rename", "agt_nope", "t", "--store", f.store])
        #expect(unknown.status == 2, "\(unknown.stderr)")
    }
}
