import Foundation

extension Agent {
    /// Re-attaches the `task_run` calls of `message` that were executing when the process
    /// stopped: each runs its tool again, which finds the child its `subagent_started` names,
    /// lets the child's own recovery and turn finish, and returns the child's answer. The call's
    /// start is already durable, so it is not marked again.
    func reattachSubAgents(of message: Message) async throws {
        guard !subAgents.reattach.isEmpty else { return }  // every batch passes here; almost none re-attach
        let calls = message.toolUses.compactMap { state.toolCalls[$0.id] }
            .filter { $0.state == .executing && subAgents.reattach.contains($0.id) }
        for call in calls {
            if interruptRequested { return }
            guard let tool = tools.tool(named: call.name) else { continue }
            setBreakpoint(.toolExecuting)
            try await commit(.durable)
            let output = await invocation(of: tool, for: call)()
            subAgents.reattach.remove(call.id)
            settle(call.id, output)
            try await commit(.durable)
        }
    }

    /// Seals the calls of `message` still executing that nothing re-attached: a `task_run` that
    /// recovery left for an opener with the tool (docs/MULTI-AGENT.md, "Crash safety"), when the
    /// turn goes on in one without it. Every call is answered before the turn goes on.
    func sealUnattached(of message: Message) async throws {
        let stranded = message.toolUses.compactMap { state.toolCalls[$0.id] }.filter { $0.state == .executing }
        guard !stranded.isEmpty else { return }
        for call in stranded {
            seal(call, because: "This agent went on without the \(call.name) tool, so the sub-agent of this call could not be re-attached; its outcome is unknown.")
        }
        try await commit(.durable)
    }
}
