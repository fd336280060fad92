import Foundation

extension Agent {
    /// Recovery after opening a stored agent (DESIGN §4):
    ///
    /// | breakpoint | action |
    /// |---|---|
    /// | READY | nothing |
    /// | PRE_MODEL, STREAMING_MODEL | the uncommitted partial reply is discarded (its size reported) |
    /// | TOOL_PENDING | recorded calls are re-evaluated when the turn continues |
    /// | AWAITING_APPROVAL | requests stay pending and are shown again; never auto-approved |
    /// | PRE_TOOL | approved calls run when the turn continues |
    /// | TOOL_EXECUTING | calls whose start was durable are sealed, never re-run; a `task_run` call is re-attached to its child instead (left as it is by an opener without `task_run`) |
    /// | POST_TOOL | results are durable; the turn continues from them |
    /// | COMPACTING | the summary was not durable: the conversation is as before; compacting happens again when needed |
    func recover(repairs: [String]) async throws {
        for repair in repairs {
            emit(.error(ErrorEvent(phase: .storage, severity: .warning, message: "repaired the log on open", detail: repair)))
        }
        let breakpoint = state.breakpoint
        let discarded = state.partialReplyChars
        var sealed: [String] = []
        for call in state.currentCalls where call.state == .executing {
            // A sub-agent keeps its own log: its parent re-attaches to it when the turn goes on.
            // Opened without `task_run` (to answer an approval or set a label, say), the call is
            // left as it is for an opener that has the tool: sealing it here would strand the
            // child for good.
            if call.name == TaskRunTool.toolName {
                if tools.tool(named: call.name) is TaskRunTool { subAgents.reattach.insert(call.id) }
                continue
            }
            seal(call, because: "The process stopped while this tool was running; its side effects are unknown. It was not re-run automatically.")
            sealed.append(call.id)
        }
        let pending = state.pendingApprovals
        for call in pending { emit(.permissionRequired(permissionRequest(for: call))) }
        let runnable = state.currentCalls.filter { $0.state == .pending || $0.state == .approved || subAgents.reattach.contains($0.id) }.map(\.id)
        let interrupted = state.turnOpen
        if pending.isEmpty {
            setBreakpoint(.ready)
            setRuntimeState(.ready)
        } else {
            setBreakpoint(.awaitingApproval)
            setRuntimeState(.paused)
        }
        emit(.agentResumed(AgentResumedEvent(
            breakpoint: breakpoint, sealedCalls: sealed, discardedPartialBytes: discarded,
            pendingApprovals: pending.map(\.id), runnableCalls: runnable,
            turnInterrupted: interrupted && pending.isEmpty)))
        try await commit(.durable)
        if manifest.config.autoContinue && interrupted && pending.isEmpty {
            startTurn()
        }
    }
}
