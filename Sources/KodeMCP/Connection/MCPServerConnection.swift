import Foundation
import Logging
import MCP

/// One MCP server as the tools see it: started on first use, its tools listed, calls sent with
/// a time limit, and started again (after a growing pause) when it crashed, hung or answered
/// with something that is not MCP.
public actor MCPServerConnection {
    public nonisolated let config: MCPServerConfig
    private let workDir: URL?
    private let report: @Sendable (MCPServerEvent) -> Void
    /// What the server said since the last call, for the Monitor.
    let notices: NoticeBuffer
    private let logger: Logger
    private var session: Session?
    private var backoff = RestartBackoff()
    private var lastFailure: String?

    /// A running server: the SDK client and, for stdio, the process behind it.
    private struct Session {
        let client: Client
        let transport: any Transport
        let process: ServerProcess?
        let tools: [MCP.Tool]
    }

    /// A connection to the server `config` names; stdio servers start in `workDir`. `report`
    /// receives what the Monitor should show.
    public init(config: MCPServerConfig, workDir: URL? = nil, logger: Logger = MCPToolbox.silentLogger,
                report: @escaping @Sendable (MCPServerEvent) -> Void = { _ in }) {
        self.config = config
        self.workDir = workDir
        self.logger = logger
        let notices = NoticeBuffer(server: config.name)
        self.notices = notices
        self.report = { event in
            notices.add(event)
            report(event)
        }
    }

    /// The server's tools (all pages), starting the server if it is not running.
    public func tools() async throws(MCPServerError) -> [MCP.Tool] {
        try await running().tools
    }

    /// Calls the server's tool `name`. Throws when the server is unavailable, does not answer
    /// within the call timeout, exits during the call, or answers with something that is not
    /// a result; the server is then started again on a later call.
    public func call(_ name: String, arguments: [String: Value]) async throws(MCPServerError) -> (content: [MCP.Tool.Content], isError: Bool) {
        let session = try await running()
        let outcome = await CallRace.run(limit: config.callTimeout, exit: session.process) {
            try await session.client.callTool(name: name, arguments: arguments)
        }
        switch outcome {
        case .finished(let result):
            return (result.content, result.isError ?? false)
        case .failed(let error):
            if let mcp = error as? MCPError, case .connectionClosed = mcp {
                await fail(session, "the connection closed during the call")
            } else if error is MCPTransportError {
                await fail(session, "\(error) during the call")
            } else {
                // A JSON-RPC error from a live server is an answer, not a broken server.
                throw MCPServerError(server: config.name, reason: Self.describe(error))
            }
        case .timedOut:
            // A server that stopped answering gets a short grace to exit, not the polite one: the
            // model waits for this result. It is no longer the session first, so calls arriving
            // meanwhile start a new one instead of failing this one again.
            if self.session.map({ $0.client === session.client }) ?? false { self.session = nil }
            await session.process?.stop(grace: .milliseconds(250))
            await fail(session, "no answer within \(Self.seconds(config.callTimeout)); the server was stopped", drainStderr: false)
        case .ended(let end):
            await fail(session, "\(end) during the call")
        }
        throw MCPServerError(server: config.name, reason: lastFailure ?? "the call failed")
    }

    /// Stops the server, if it runs.
    public func shutDown() async {
        guard let session else { return }
        self.session = nil
        await session.client.disconnect()
        await session.transport.disconnect()
    }

    private func running() async throws(MCPServerError) -> Session {
        if let session {
            guard let end = session.process?.end else { return session }
            await fail(session, "\(end)")
        }
        let wait = backoff.wait(from: .now)
        if wait > .zero {
            throw MCPServerError(server: config.name, reason: "unavailable (\(lastFailure ?? "it failed")); next start in \(Self.seconds(wait))")
        }
        do {
            let started = try await start()
            session = started
            backoff.succeeded()
            lastFailure = nil
            report(.started(tools: started.tools.count))
            return started
        } catch {
            backoff.failed(at: .now)
            lastFailure = error.reason
            report(.failed(reason: error.reason, retryIn: backoff.wait(from: .now)))
            throw error
        }
    }

    private func start() async throws(MCPServerError) -> Session {
        let transport: any Transport
        switch config.transport {
        case .stdio(let command, let arguments, let environment):
            let report = self.report
            transport = StdioProcessTransport(
                command: command, arguments: arguments, environment: environment, workDir: workDir,
                logger: logger, onStderr: { report(.stderr($0)) })
        case .http(let url):
            // Linux's URLSession cannot stream a response body, so the SDK posts and reads whole
            // responses there; the optional server-to-client stream is not opened.
            transport = HTTPClientTransport(endpoint: url, streaming: false, logger: logger)
        }
        let client = Client(name: "kode", version: "1")
        // A stdio server is launched first, so the start can also end when the process does
        // (a server that exits at once is reported at once, not after the startup timeout).
        var serverProcess: ServerProcess?
        if let stdio = transport as? StdioProcessTransport {
            do {
                try await stdio.connect()
            } catch {
                throw MCPServerError(server: config.name, reason: "could not start: \(error)")
            }
            serverProcess = await stdio.process
        }
        let outcome = await CallRace.run(limit: config.startupTimeout, exit: serverProcess) { () async throws -> [MCP.Tool] in
            _ = try await client.connect(transport: transport)
            var tools: [MCP.Tool] = []
            var cursor: String?
            repeat {
                let page = try await client.listTools(cursor: cursor)
                tools += page.tools
                cursor = page.nextCursor
            } while cursor != nil && tools.count < 10_000
            return tools
        }
        func abandon(_ reason: String) async -> MCPServerError {
            if serverProcess?.end != nil { await serverProcess?.stderrDrained() }
            await client.disconnect()
            await transport.disconnect()
            var reason = reason
            if let tail = serverProcess?.stderrTail.summary { reason += "; stderr: \(tail)" }
            return MCPServerError(server: config.name, reason: reason)
        }
        switch outcome {
        case .finished(let tools):
            return Session(client: client, transport: transport, process: serverProcess, tools: tools)
        case .failed(let error):
            throw await abandon("could not start: \(Self.describe(error))")
        case .timedOut:
            throw await abandon("did not finish starting within \(Self.seconds(config.startupTimeout))")
        case .ended(let end):
            throw await abandon("\(end) while starting")
        }
    }

    /// `drainStderr`: wait for the rest of an ended server's stderr (a grandchild may hold it
    /// open for a while); not for a server that was stopped because it hung.
    private func fail(_ failed: Session, _ reason: String, drainStderr: Bool = true) async {
        if session.map({ $0.client === failed.client }) ?? false { session = nil }
        if drainStderr, failed.process?.end != nil { await failed.process?.stderrDrained() }
        var reason = reason
        if let tail = failed.process?.stderrTail.summary { reason += "; stderr: \(tail)" }
        lastFailure = reason
        backoff.failed(at: .now)
        report(.failed(reason: reason, retryIn: backoff.wait(from: .now)))
        await failed.client.disconnect()
        await failed.transport.disconnect()
    }

    static func describe(_ error: any Error) -> String {
        if let mcp = error as? MCPError { return mcp.errorDescription ?? "\(mcp)" }
        // Foundation's networking errors print as a dump of their domain and user info.
        if let url = error as? URLError { return describeURLError(url.code.rawValue) }
        let bridged = error as NSError
        if bridged.domain == NSURLErrorDomain { return describeURLError(bridged.code) }
        return "\(error)"
    }

    private static func describeURLError(_ code: Int) -> String {
        typealias Code = URLError.Code
        switch code {
        case Code.cannotConnectToHost.rawValue: return "could not connect to the server (connection refused)"
        case Code.cannotFindHost.rawValue, Code.dnsLookupFailed.rawValue: return "the server's host name does not resolve"
        case Code.timedOut.rawValue: return "the connection timed out"
        case Code.notConnectedToInternet.rawValue, Code.networkConnectionLost.rawValue: return "the network connection was lost"
        case Code.secureConnectionFailed.rawValue, Code.serverCertificateUntrusted.rawValue, Code.serverCertificateHasBadDate.rawValue,
             Code.serverCertificateNotYetValid.rawValue, Code.serverCertificateHasUnknownRoot.rawValue:
            return "the TLS connection failed (the server's certificate was not accepted)"
        case Code.badServerResponse.rawValue: return "the server's answer was not HTTP"
        default: return "a network error (URL error \(code))"
        }
    }

    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let value = Double(seconds) + Double(attoseconds) / 1e18
        return value >= 10 ? "\(Int(value.rounded())) s" : String(format: "%.1f s", value)
    }
}
