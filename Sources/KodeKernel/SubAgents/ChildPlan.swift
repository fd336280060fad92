import Foundation

/// What a `task_run` call's child is made of: its configuration (with its tools listed) and its
/// depth. Worked out from the call's input, the settings and the parent, before anything is
/// recorded, so a call that asks for something it may not have fails without leaving a trace.
struct ChildPlan: Sendable {
    var config: AgentConfig
    var depth: Int

    /// The plan for `request` made by `parent` (whose configuration, effective model, tools and
    /// depth are given); a ``ToolFailure`` naming what is wrong otherwise.
    static func make(
        _ request: TaskRequest, settings: SubAgentSettings,
        parentConfig: AgentConfig, parentProvider: ProviderConfig, parentTools: [String], parentDepth: Int
    ) throws -> ChildPlan {
        let depth = parentDepth + 1
        guard depth <= settings.maxDepth else {
            if parentDepth == 0 { throw ToolFailure("task_run: sub-agents are turned off here (the depth limit is 0)") }
            throw ToolFailure("task_run: this agent is a sub-agent at depth \(parentDepth) and the depth limit is \(settings.maxDepth); it cannot spawn another")
        }
        var config: AgentConfig
        if let name = request.template {
            guard let resolve = settings.template else {
                throw ToolFailure("task_run: no templates are available to sub-agents here; leave out 'template' to use this agent's configuration")
            }
            do {
                config = try resolve(name, parentConfig)
            } catch {
                // The resolver's error names the template (`SubAgentSettings.template`).
                throw ToolFailure("task_run: \(error)")
            }
            config.template = name
        } else {
            config = parentConfig
            config.provider = parentProvider
        }
        if let model = request.model { config.provider.model = model }
        // Children work in the caller's workspace, through the caller's sandbox.
        config.workDir = parentConfig.workDir
        config.allowPaths = parentConfig.allowPaths
        // The parent decides when its child's interrupted turn goes on (re-attach), not the child.
        config.autoContinue = false

        let atLimit = depth >= settings.maxDepth
        if let asked = request.tools {
            let missing = asked.filter { !parentTools.contains($0) }
            if !missing.isEmpty {
                throw ToolFailure("task_run: a sub-agent can only have tools this agent has; not available: \(missing.joined(separator: ", ")) (available: \(parentTools.sorted().joined(separator: ", ")))")
            }
            if atLimit && asked.contains(TaskRunTool.toolName) {
                throw ToolFailure("task_run: the sub-agent would be at depth \(depth), the depth limit, so it may not have task_run; leave it out of 'tools'")
            }
        }
        let wanted = request.tools ?? config.tools ?? parentTools
        config.tools = parentTools.filter { wanted.contains($0) && !(atLimit && $0 == TaskRunTool.toolName) }
        return ChildPlan(config: config, depth: depth)
    }
}
