import Foundation
import KodeKernel
import KodeTestSupport
import Testing

/// MCP servers and skills from the configuration reach agents of the real binary.
@Suite("MCP servers and skills through kode")
struct MCPCommandTests {
    /// A fixture whose work directory's `.kode/config.toml` holds `config`.
    func fixture(config: String) throws -> CLIFixture {
        let f = try CLIFixture()
        let dotKode = URL(fileURLWithPath: f.workDir).appendingPathComponent(".kode")
        try FileManager.default.createDirectory(at: dotKode, withIntermediateDirectories: true)
        try config.write(to: dotKode.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
        return f
    }

    @Test func aConfiguredServersToolRunsUnderThePolicyAndItsStderrReachesTheMonitor() async throws {
        let scripts = try TemporaryDirectory(prefix: "kode-mcp-cli")
        let server = try FixtureMCPServer.writeScripted(into: scripts.url)
        let f = try fixture(config: """
            [mcp_servers.fixture]
            command = "python3"
            args = ["-u", "\(server)"]
            exclude_tools = ["secret"]
            """)
        let script = try f.script(#"{"turns":[{"tool_calls":[{"name":"mcp__fixture__echo","input":{"text":"plum-42","mode":"stderr"}}]},{"text":"done"}]}"#)
        // In approval mode the call needs a person, as a built-in write would.
        let asked = try await f.run(script, ["--json", "--prompt", "go", "--approve", "none"], environment: ["HOME": f.root.path])
        #expect(asked.stdout.contains("permission_required"), "\(asked.stderr)")

        let result = try await f.run(script, ["--json", "--permission", "auto", "--prompt", "go"], environment: ["HOME": f.root.path])
        #expect(result.status == 0, "\(result.stderr)")
        let decoder = EventEnvelope.lineDecoder()
        let envelopes = try result.lines.map { try decoder.decode(EventEnvelope.self, from: Data($0.utf8)) }
        let end = try #require(envelopes.compactMap { if case .toolEnd(let e) = $0.event { return e } else { return nil } }.first)
        #expect(end.name == "mcp__fixture__echo")
        #expect(end.outputPreview == "plum-42")
        let notices = envelopes.compactMap { if case .error(let e) = $0.event { return e } else { return nil } }
        #expect(notices.contains { $0.phase == .tool && $0.message.contains("stderr: fixture: about to echo") }, "\(notices)")
    }

    @Test func aBadServerTableIsAnErrorAtItsLine() async throws {
        let f = try fixture(config: """
            [mcp_servers.nothing]
            args = ["x"]
            """)
        let script = try f.script(#"{"turns":[{"text":"hi"}]}"#)
        let result = try await f.run(script, ["--prompt", "go"], environment: ["HOME": f.root.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("config.toml:2"), "\(result.stderr)")
        #expect(result.stderr.contains("needs a command"))
    }

    @Test func aServerThatDoesNotStartIsAWarningAndTheRunGoesOn() async throws {
        let f = try fixture(config: """
            [mcp_servers.gone]
            command = "kode-no-such-mcp-server"
            """)
        let script = try f.script(#"{"turns":[{"text":"still here"}]}"#)
        let result = try await f.run(script, ["--prompt", "go"], environment: ["HOME": f.root.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("still here"))
        #expect(result.stderr.contains("MCP server 'gone'"))
    }

    @Test func projectSkillsAreOfferedToTheModel() async throws {
        let f = try fixture(config: "")
        let skill = URL(fileURLWithPath: f.workDir).appendingPathComponent(".kode/skills/greet")
        try FileManager.default.createDirectory(at: skill, withIntermediateDirectories: true)
        try "---\nname: greet\ndescription: say hello properly\n---\nAlways greet with 'ahoy'.\n".write(
            to: skill.appendingPathComponent("SKILL.md"), atomically: true, encoding: .utf8)
        let script = try f.script(#"{"turns":[{"tool_calls":[{"name":"skill","input":{"name":"greet"}}]},{"text":"ahoy"}]}"#)
        let result = try await f.run(script, ["--json", "--permission", "readonly", "--prompt", "hello"], environment: ["HOME": f.root.path])
        #expect(result.status == 0, "\(result.stderr)")
        let decoder = EventEnvelope.lineDecoder()
        let envelopes = try result.lines.map { try decoder.decode(EventEnvelope.self, from: Data($0.utf8)) }
        let end = try #require(envelopes.compactMap { if case .toolEnd(let e) = $0.event { return e } else { return nil } }.first)
        #expect(end.outputPreview.contains("Always greet with 'ahoy'."))
    }
}
