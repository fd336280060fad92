import Foundation
import KodeConfig
import KodeKernel
import KodeMCP

/// The tools from outside the binary that agents of this process get besides the built-ins:
/// the tools of the configured MCP servers (`[mcp_servers.NAME]`) and, when skills exist, the
/// `skill` tool (docs/MCP-AND-SKILLS.md).
///
/// Servers start here, in the current directory, once per process: every agent the process
/// opens shares them. One that does not start costs only its own tools, with a warning.
struct ExternalTools: Sendable {
    let mcpTools: [MCPTool]
    let skills: SkillCatalog
    let toolbox: MCPToolbox?
    /// How `task_run` makes sub-agents (templates from this configuration, models from the providers).
    var subAgents: SubAgentSettings?

    /// Built-ins, then the MCP tools, then `skill`, then `task_run`.
    var registry: ToolRegistry {
        var registry = ToolRegistry.builtins()
        for tool in mcpTools { registry.register(tool) }
        if !skills.skills.isEmpty { registry.register(SkillTool(catalog: skills)) }
        if let subAgents { registry.register(TaskRunTool(settings: subAgents)) }
        return registry
    }

    /// Reads the configuration of `workDir` (default: the current directory), starts its MCP servers and finds the
    /// skills. Problems that leave the rest usable go to stderr (sanitized: they quote servers'
    /// output and file names).
    static func load(environment: [String: String], workDir: String? = nil, warn: (String) -> Void = { ExternalTools.warn($0) }) async throws -> ExternalTools {
        let workDir = workDir ?? FileManager.default.currentDirectoryPath
        let configuration: Configuration
        do {
            configuration = try Configuration.load(environment: environment, workDir: workDir)
        } catch {
            throw CLIError.usage("\(error)")
        }
        let servers: [MCPServerConfig]
        do {
            servers = try MCPServerConfig.configured(in: configuration)
        } catch {
            throw CLIError.usage("\(error)")
        }
        var toolbox: MCPToolbox?
        var tools: [MCPTool] = []
        if !servers.isEmpty {
            let box = MCPToolbox(servers: servers, workDir: URL(fileURLWithPath: workDir))
            let (offered, unavailable) = await box.tools()
            for failure in unavailable { warn("\(failure) (its tools are not offered)") }
            tools = offered
            toolbox = box
        }
        let skills = SkillCatalog.discover(
            projectDirectory: URL(fileURLWithPath: workDir).appendingPathComponent(".kode/skills"),
            userDirectory: URL(fileURLWithPath: ConfigPaths.userDirectory(environment)).appendingPathComponent("skills"))
        for problem in skills.problems { warn("skipped a skill: \(problem)") }
        return ExternalTools(mcpTools: tools, skills: skills, toolbox: toolbox,
                             subAgents: SubAgentWiring.settings(configuration: configuration, environment: environment))
    }

    static func warn(_ text: String) {
        FileHandle.standardError.write(Data(("kode: " + TerminalText.safe(text, keepNewlines: false) + "\n").utf8))
    }
}
