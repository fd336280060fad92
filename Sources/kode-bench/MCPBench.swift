import ArgumentParser
import Foundation
import KodeMCP
import MCP

/// A tool call to an MCP server over stdio, next to the floor under it: the same interpreter
/// echoing a line over the same kind of pipes. Both servers are Python, so the difference is
/// what Kode and the SDK add (JSON-RPC framing, encoding, the reader and writer threads, the
/// actor hops), not the server's start-up or language.
struct MCPBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "MCP tool call round trip over stdio, next to a direct process round trip."
    )

    @Option(help: "Calls of each kind.") var calls = 2_000

    func run() async throws {
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("kode-bench-mcp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let serverPath = directory.appendingPathComponent("server.py")
        let echoPath = directory.appendingPathComponent("echo.py")
        try Self.server.write(to: serverPath, atomically: true, encoding: .utf8)
        try Self.echo.write(to: echoPath, atomically: true, encoding: .utf8)

        let connection = MCPServerConnection(config: MCPServerConfig(
            name: "bench", transport: .stdio(command: "python3", arguments: ["-u", serverPath.path], environment: [:])))
        _ = try await connection.tools()
        let direct = try LineEchoProcess(script: echoPath.path)
        defer { direct.stop() }

        var mcp: [Double] = []
        var pipe: [Double] = []
        for _ in 0..<100 {
            _ = try await connection.call("echo", arguments: ["text": "warm"])
            try direct.roundTrip()
        }
        // Interleaved, so a busy moment of the machine falls on both alike.
        for _ in 0..<calls {
            mcp.append(try await Bench.seconds { _ = try await connection.call("echo", arguments: ["text": "ping"]) })
            pipe.append(try Self.seconds { try direct.roundTrip() })
        }
        await connection.shutDown()
        let mcpMedian = Self.percentile(mcp, 0.5), pipeMedian = Self.percentile(pipe, 0.5)
        print("mcp benchmarks (\(calls) calls each, python3 servers over stdio)")
        Bench.report("tool call round trip, median", value: Bench.format(mcpMedian * 1e6, "µs", decimals: 0),
                     baseline: Bench.format(pipeMedian * 1e6, "µs", decimals: 0), ratio: mcpMedian / pipeMedian,
                     target: "reported (baseline: a line echoed by a python3 process)")
        Bench.report("tool call round trip, p99", value: Bench.format(Self.percentile(mcp, 0.99) * 1e6, "µs", decimals: 0),
                     baseline: Bench.format(Self.percentile(pipe, 0.99) * 1e6, "µs", decimals: 0),
                     ratio: Self.percentile(mcp, 0.99) / Self.percentile(pipe, 0.99), target: "reported")
    }

    static func seconds(_ body: () throws -> Void) throws -> Double {
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }

    /// The smallest MCP server: initialize, list one tool, echo its argument.
    static let server = #"""
    import json, sys
    for line in sys.stdin:
        message = json.loads(line)
        method, ident = message.get("method"), message.get("id")
        if method == "initialize":
            result = {"protocolVersion": message["params"]["protocolVersion"], "capabilities": {"tools": {}},
                      "serverInfo": {"name": "bench", "version": "1"}}
        elif method == "tools/list":
            result = {"tools": [{"name": "echo", "inputSchema": {"type": "object"}}]}
        elif method == "tools/call":
            result = {"content": [{"type": "text", "text": message["params"]["arguments"]["text"]}]}
        else:
            continue
        sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": ident, "result": result}) + "\n")
        sys.stdout.flush()
    """#

    static let echo = #"""
    import sys
    for line in sys.stdin:
        sys.stdout.write(line)
        sys.stdout.flush()
    """#
}

/// A python3 process that echoes lines, driven with blocking reads and writes: the floor for
/// any request and answer over a child's pipes.
final class LineEchoProcess {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()

    init(script: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", script]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
    }

    func roundTrip() throws {
        input.fileHandleForWriting.write(Data("ping\n".utf8))
        var received = 0
        while received < 5 {
            let data = output.fileHandleForReading.availableData
            guard !data.isEmpty else { throw ValidationError("the echo process ended") }
            received += data.count
        }
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
