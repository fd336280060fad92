import Foundation
import KodeKernel
import Logging

/// The MCP servers of one configuration and the tools they offer.
///
/// Servers start together when the tools are first asked for; a server that fails to start
/// costs its own tools only (reported through `report`), and is tried again on a later `tools()`.
public actor MCPToolbox {
    /// The default logger: the SDK logs what servers send, which is untrusted text and must not
    /// reach a terminal through swift-log's default stderr handler. Server problems reach the
    /// Monitor through `report` instead.
    public static let silentLogger = Logger(label: "kode.mcp", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Every server's connection, in configuration order.
    public let connections: [MCPServerConnection]

    /// A toolbox for `servers`; stdio servers start in `workDir`. `report` receives each server's
    /// Monitor events with the server's name.
    public init(servers: [MCPServerConfig], workDir: URL? = nil, logger: Logger = MCPToolbox.silentLogger,
                report: @escaping @Sendable (String, MCPServerEvent) -> Void = { _, _ in }) {
        connections = servers.map { server in
            MCPServerConnection(config: server, workDir: workDir, logger: logger) { report(server.name, $0) }
        }
    }

    /// The tools of every server that is up, filtered by each server's include and exclude lists,
    /// and the servers that could not be reached.
    public func tools() async -> (tools: [MCPTool], unavailable: [MCPServerError]) {
        let results = await withTaskGroup(of: (Int, Result<[MCPTool], MCPServerError>).self) { group in
            for (index, connection) in connections.enumerated() {
                group.addTask {
                    do throws(MCPServerError) {
                        let offered = try await connection.tools().filter { connection.config.offers($0.name) }
                        return (index, .success(offered.map { MCPTool(tool: $0, connection: connection) }))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var results: [(Int, Result<[MCPTool], MCPServerError>)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
        var tools: [MCPTool] = []
        var unavailable: [MCPServerError] = []
        for result in results {
            switch result {
            case .success(let offered): tools += offered
            case .failure(let error): unavailable.append(error)
            }
        }
        return (tools, unavailable)
    }

    /// Stops every server.
    public func shutDown() async {
        for connection in connections { await connection.shutDown() }
    }
}
