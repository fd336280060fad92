import Foundation
import KodeConfig

extension MCPServerConfig {
    /// The servers of `[mcp_servers.NAME]` tables, by name; a table with `enabled = false` is
    /// skipped. A table with neither `command` nor `url`, or both, or a name that cannot be part
    /// of a tool name, is an error at its line.
    public static func configured(in configuration: Configuration) throws(ConfigError) -> [MCPServerConfig] {
        var servers: [MCPServerConfig] = []
        for name in configuration.names(in: "mcp_servers") {
            let table = "mcp_servers.\(name)"
            let entries = configuration.entries(in: table)
            guard let anyKey = entries.first?.key else { continue }
            if configuration[table, "enabled"]?.value.bool == false { continue }
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else {
                throw configuration.error(table: table, key: anyKey, "the server name '\(name)' may hold only letters, digits, '-' and '_' (it becomes part of tool names)")
            }
            let command = configuration[table, "command"]?.value.string
            let url = configuration[table, "url"]?.value.string
            let transport: Transport
            switch (command, url) {
            case (let command?, nil):
                let arguments = configuration[table, "args"]?.value.strings ?? []
                var environment: [String: String] = [:]
                for (key, entry) in configuration.entries(in: table + ".env") { environment[key] = entry.value.string }
                transport = .stdio(command: command, arguments: arguments, environment: environment)
            case (nil, let url?):
                guard let endpoint = URL(string: url), let scheme = endpoint.scheme, ["http", "https"].contains(scheme.lowercased()) else {
                    throw configuration.error(table: table, key: "url", "'\(url)' is not an http:// or https:// URL")
                }
                transport = .http(url: endpoint)
            case (_?, _?):
                throw configuration.error(table: table, key: "url", "a server has a command or a url, not both")
            case (nil, nil):
                throw configuration.error(table: table, key: anyKey, "[\(table)] needs a command (a stdio server) or a url (streamable HTTP)")
            }
            var server = MCPServerConfig(name: name, transport: transport)
            server.includedTools = configuration[table, "include_tools"]?.value.strings
            server.excludedTools = configuration[table, "exclude_tools"]?.value.strings ?? []
            if let seconds = configuration[table, "startup_timeout_sec"]?.value.integer { server.startupTimeout = .seconds(seconds) }
            if let seconds = configuration[table, "tool_timeout_sec"]?.value.integer { server.callTimeout = .seconds(seconds) }
            servers.append(server)
        }
        return servers
    }
}
