import Foundation

/// MCP servers for tests, run with the system's python3.
///
/// `scripted` is a plain stdio JSON-RPC server of our own (no SDK), whose `echo` tool can be told
/// to misbehave: `crash` exits during the call, `hang` never answers, `garbage` answers with a line
/// that is not JSON-RPC, `stderr` writes to stderr first. `CRASH_AT_START=1` makes it exit before
/// answering `initialize`. `http` is an echo server on the Python MCP SDK (from PyPI, installed by
/// scripts/test.sh) speaking streamable HTTP.
public enum FixtureMCPServer {
    /// Writes the scripts into `directory` and returns the path of the stdio one.
    public static func writeScripted(into directory: URL) throws -> String {
        let path = directory.appendingPathComponent("scripted_mcp_server.py")
        try scriptedSource.write(to: path, atomically: true, encoding: .utf8)
        return path.path
    }

    /// Writes the streamable-HTTP server script into `directory` and returns its path.
    public static func writeHTTP(into directory: URL) throws -> String {
        let path = directory.appendingPathComponent("http_mcp_server.py")
        try httpSource.write(to: path, atomically: true, encoding: .utf8)
        return path.path
    }

    static let scriptedSource = #"""
    import json, os, sys, time

    if os.environ.get("CRASH_AT_START") == "1":
        sys.stderr.write("fixture: refusing to start\n")
        sys.stderr.flush()
        sys.exit(7)

    def send(message):
        sys.stdout.write(json.dumps(message) + "\n")
        sys.stdout.flush()

    calls = 0
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        message = json.loads(line)
        method = message.get("method")
        ident = message.get("id")
        if method == "initialize":
            send({"jsonrpc": "2.0", "id": ident, "result": {
                "protocolVersion": message["params"]["protocolVersion"],
                "capabilities": {"tools": {"listChanged": False}},
                "serverInfo": {"name": "fixture", "version": "1"}}})
        elif method == "tools/list":
            send({"jsonrpc": "2.0", "id": ident, "result": {"tools": [
                {"name": "echo", "description": "Echoes text; `mode` makes it misbehave.",
                 "inputSchema": {"type": "object", "properties": {
                     "text": {"type": "string"}, "mode": {"type": "string"}}, "required": ["text"]}},
                {"name": "count", "description": "How many calls this process answered.",
                 "inputSchema": {"type": "object"}},
                {"name": "secret", "description": "Excluded by the tests' config.",
                 "inputSchema": {"type": "object"}}]}})
        elif method == "tools/call":
            calls += 1
            name = message["params"]["name"]
            arguments = message["params"].get("arguments") or {}
            mode = arguments.get("mode", "")
            if mode == "stderr":
                sys.stderr.write("fixture: about to echo\n")
                sys.stderr.flush()
            if mode == "crash":
                sys.stderr.write("fixture: crashing now\n")
                sys.stderr.flush()
                os._exit(3)
            if mode == "hang":
                time.sleep(3600)
            if mode == "garbage":
                sys.stdout.write("this is not json-rpc\n")
                sys.stdout.flush()
                continue
            if name == "count":
                text = str(calls)
            else:
                text = arguments.get("text", "")
            send({"jsonrpc": "2.0", "id": ident, "result": {
                "content": [{"type": "text", "text": text}], "isError": mode == "error"}})
        elif ident is not None:
            send({"jsonrpc": "2.0", "id": ident, "error": {"code": -32601, "message": "no method " + str(method)}})
    """#

    static let httpSource = #"""
    import sys
    from mcp.server.fastmcp import FastMCP

    server = FastMCP("fixture-http", host="127.0.0.1", port=int(sys.argv[1]), stateless_http=True, json_response=True)

    @server.tool()
    def echo(text: str) -> str:
        """Echoes the text back."""
        return text

    server.run(transport="streamable-http")
    """#
}

extension FixtureMCPServer {
    /// A running streamable-HTTP fixture server and its endpoint.
    public struct HTTPServer: Sendable {
        public let process: RunningProcess
        public let url: URL

        public func signal(_ signal: Int32) { process.signal(signal) }
    }

    /// Starts the HTTP fixture on a free loopback port and returns once it says it listens.
    public static func startHTTP(script: String) async throws -> HTTPServer {
        let port = try FreePort.loopback()
        let process = try RunningProcess(
            executable: URL(fileURLWithPath: "/usr/bin/env"), arguments: ["python3", script, String(port)],
            stdin: nil, environment: [:])
        // Uvicorn prints this line once the socket listens; nothing else means "ready".
        try await process.waitForOutput("Uvicorn running on", timeout: .seconds(60))
        return HTTPServer(process: process, url: URL(string: "http://127.0.0.1:\(port)/mcp")!)
    }
}
