import Foundation
import KodeKernel
import KodeMCP
import KodeTestSupport
import MCP
import Testing

/// A server that crashes, hangs or answers with garbage gives a clear error, and the next call
/// gets a fresh server (after the backoff, which starts at half a second).
@Suite("MCP servers that misbehave")
struct FaultTests {
    @Test func aServerThatCrashesDuringACallIsAnErrorAndIsStartedAgain() async throws {
        let fixtures = try MCPFixtures()
        let events = ReportedEvents()
        let connection = MCPServerConnection(config: fixtures.scripted()) { events.record($0) }
        _ = try await connection.call("echo", arguments: ["text": "warm up"])
        let failure = await #expect(throws: MCPServerError.self) {
            _ = try await connection.call("echo", arguments: ["text": "x", "mode": "crash"])
        }
        #expect(failure?.description.contains("exited (status 3)") == true || failure?.description.contains("closed its output") == true)
        #expect(failure?.description.contains("fixture: crashing now") == true)
        await events.wait { if case .failed = $0 { return true } else { return false } }
        let answer = try await callOnceRestarted(connection, events: events)
        #expect(answer == "1", "a new process answers, its count starts again")
        await connection.shutDown()
    }

    @Test func aServerThatHangsTimesOutAndIsReplaced() async throws {
        let fixtures = try MCPFixtures()
        let events = ReportedEvents()
        let connection = MCPServerConnection(config: fixtures.scripted(callTimeout: .seconds(1))) { events.record($0) }
        let failure = await #expect(throws: MCPServerError.self) {
            _ = try await connection.call("echo", arguments: ["text": "x", "mode": "hang"])
        }
        #expect(failure?.description.contains("no answer within 1.0 s") == true)
        #expect(try await callOnceRestarted(connection, events: events) == "1")
        await connection.shutDown()
    }

    @Test func garbageInsteadOfAnAnswerIsAnErrorNotAHang() async throws {
        let fixtures = try MCPFixtures()
        let connection = MCPServerConnection(config: fixtures.scripted(callTimeout: .seconds(2)))
        let failure = await #expect(throws: MCPServerError.self) {
            _ = try await connection.call("echo", arguments: ["text": "x", "mode": "garbage"])
        }
        #expect(failure?.description.contains("MCP server 'fixture'") == true)
        await connection.shutDown()
    }

    @Test func aServerThatCannotStartSaysWhyAndCostsOnlyItsOwnTools() async throws {
        let fixtures = try MCPFixtures()
        var broken = fixtures.scripted(environment: ["CRASH_AT_START": "1"])
        broken.name = "broken"
        let missing = MCPServerConfig(name: "missing", transport: .stdio(command: "kode-no-such-server", arguments: [], environment: [:]))
        let box = MCPToolbox(servers: [broken, fixtures.scripted(), missing])
        let (tools, unavailable) = await box.tools()
        #expect(tools.map(\.name).sorted() == ["mcp__fixture__count", "mcp__fixture__echo"])
        #expect(unavailable.map(\.server).sorted() == ["broken", "missing"])
        let reason = try #require(unavailable.first { $0.server == "broken" }).reason
        #expect(reason.contains("refusing to start"), "\(reason)")
        await box.shutDown()
    }

    @Test func anErrorResultIsTheToolsAnswerNotAServerFailure() async throws {
        let fixtures = try MCPFixtures()
        let connection = MCPServerConnection(config: fixtures.scripted())
        let result = try await connection.call("echo", arguments: ["text": "bad input", "mode": "error"])
        #expect(result.isError)
        let next = try await connection.call("count", arguments: [:])
        let count = try #require(firstText(next.content))
        #expect(count == "2", "the same process answered both")
        await connection.shutDown()
    }

    /// Calls `count` once the backoff after a failure allows it, and returns the answer.
    private func callOnceRestarted(_ connection: MCPServerConnection, events: ReportedEvents) async throws -> String {
        // The backoff is seconds at most; a deadline far past it turns a server that never
        // comes back into a failure instead of a hang.
        let deadline = ContinuousClock.now + .seconds(120)
        while true {
            do {
                let result = try await connection.call("count", arguments: [:])
                let text = try #require(firstText(result.content))
                return text
            } catch let error as MCPServerError where error.reason.contains("next start in") {
                guard ContinuousClock.now < deadline else { throw TestTimeout(what: "the server to be restarted: \(error.reason)") }
                // Still inside the backoff: wait for it to pass, then try again.
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }
}
