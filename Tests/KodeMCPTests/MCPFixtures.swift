import Foundation
import KodeMCP
import MCP
import KodeTestSupport
import Synchronization

/// Servers and event collection shared by the MCP tests.
struct MCPFixtures {
    let directory: TemporaryDirectory
    let scriptedPath: String

    init() throws {
        directory = try TemporaryDirectory(prefix: "kode-mcp")
        scriptedPath = try FixtureMCPServer.writeScripted(into: directory.url)
    }

    /// Our own stdio server, under the name `fixture`.
    func scripted(environment: [String: String] = [:], callTimeout: Duration = .seconds(30), excluding: [String] = ["secret"]) -> MCPServerConfig {
        MCPServerConfig(
            name: "fixture", transport: .stdio(command: "python3", arguments: ["-u", scriptedPath], environment: environment),
            excludedTools: excluding, callTimeout: callTimeout)
    }

    /// `mcp-server-time` from PyPI (installed by scripts/test.sh).
    static let time = MCPServerConfig(name: "time", transport: .stdio(command: "mcp-server-time", arguments: ["--local-timezone", "UTC"], environment: [:]))
}

/// Everything a connection reported, for assertions, with a way to wait for one report.
final class ReportedEvents: Sendable {
    private struct State {
        var events: [MCPServerEvent] = []
        var waiters: [UUID: (predicate: @Sendable (MCPServerEvent) -> Bool, continuation: CheckedContinuation<Void, Never>)] = [:]
    }

    private let state = Mutex(State())

    var all: [MCPServerEvent] { state.withLock { $0.events } }

    func record(_ event: MCPServerEvent) {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.events.append(event)
            let matching = state.waiters.filter { $0.value.predicate(event) }
            for id in matching.keys { state.waiters[id] = nil }
            return matching.values.map(\.continuation)
        }
        for continuation in woken { continuation.resume() }
    }

    var stderrLines: [String] {
        all.compactMap { if case .stderr(let line) = $0 { return line } else { return nil } }
    }

    /// Returns once an event matching `predicate` was reported (at once if one was).
    func wait(for predicate: @escaping @Sendable (MCPServerEvent) -> Bool) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state -> Bool in
                if state.events.contains(where: predicate) { return true }
                state.waiters[UUID()] = (predicate, continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }
}

/// The text of the first text part of a result, if there is one.
func firstText(_ content: [MCP.Tool.Content]) -> String? {
    for item in content {
        if case .text(let text, _, _) = item { return text }
    }
    return nil
}
