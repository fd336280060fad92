import Foundation

/// Running approved tool calls: one at a time or a bounded number at once, each start durable
/// before the tool runs.
extension Agent {
    /// Runs approved calls in call order. Neighbouring read-only calls form a group that may run
    /// concurrently (at most `toolConcurrency` at once); a call that can change files or run
    /// commands runs alone, after everything before it has finished and before anything after it
    /// starts — so a read never races a write of the same batch (issue #11, item 9). Each start
    /// (EXECUTING, `tool:start`) is durable before the tool runs; each result is durable before
    /// anything else runs, and the last rides with the tool-result message's sync.
    func runApproved(_ calls: [ToolCallRecord]) async throws {
        let limit = max(1, manifest.config.toolConcurrency)
        for group in Self.orderedGroups(calls, isReadOnly: { tools.tool(named: $0.name)?.isReadOnly ?? false }) {
            if interruptRequested { return }
            if group.count == 1 || limit == 1 {
                try await runInOrder(group)
            } else {
                try await runConcurrently(group, limit: limit)
            }
            if interruptRequested { return }
        }
    }

    /// Splits a batch into groups run one after another: each run of neighbouring read-only
    /// calls is one group, every other call a group of its own.
    static func orderedGroups(_ calls: [ToolCallRecord], isReadOnly: (ToolCallRecord) -> Bool) -> [[ToolCallRecord]] {
        var groups: [[ToolCallRecord]] = []
        var reads: [ToolCallRecord] = []
        for call in calls {
            if isReadOnly(call) {
                reads.append(call)
            } else {
                if !reads.isEmpty { groups.append(reads) }
                reads = []
                groups.append([call])
            }
        }
        if !reads.isEmpty { groups.append(reads) }
        return groups
    }

    /// One call at a time, in the turn's own task: no child task to create and schedule, which
    /// is most of what a fast tool would otherwise cost. A result is committed with the next
    /// call's durable start, so it is on disk before that call runs.
    private func runInOrder(_ calls: [ToolCallRecord]) async throws {
        for next in calls {
            if interruptRequested { return }
            guard let (tool, call) = try await start(next) else { continue }
            let output = await invocation(of: tool, for: call)()
            settle(call.id, output)
        }
    }

    /// Up to `limit` calls at once in a task group; results are settled as they arrive.
    private func runConcurrently(_ calls: [ToolCallRecord], limit: Int) async throws {
        var queue = calls[...]
        var running = 0
        var remaining = calls.count
        try await withThrowingTaskGroup(of: (String, ToolOutput?).self) { group in
            func launchNext() async throws {
                while running < limit, let next = queue.popFirst() {
                    guard let (tool, call) = try await start(next) else {
                        remaining -= 1
                        continue
                    }
                    running += 1
                    let invocation = invocation(of: tool, for: call)
                    group.addTask { (call.id, await invocation()) }
                }
            }
            if !interruptRequested { try await launchNext() }
            while remaining > 0, let (callId, output) = try await group.next() {
                running -= 1
                remaining -= 1
                settle(callId, output)
                if remaining > 0 {
                    try await commit(.durable)
                    if !interruptRequested { try await launchNext() }
                }
            }
        }
    }

    /// Marks a call EXECUTING with its `tool:start` and makes that durable; nil for a tool that
    /// is not registered (evaluation already failed such calls).
    private func start(_ approved: ToolCallRecord) async throws -> (any Tool, ToolCallRecord)? {
        guard let tool = tools.tool(named: approved.name) else { return nil }
        var call = state.toolCalls[approved.id] ?? approved
        call.state = .executing
        call.startedAt = Date()
        call.updatedAt = call.startedAt ?? Date()
        record(.toolCall(call))
        emit(.toolStart(ToolStartEvent(callId: call.id, name: call.name, input: call.input)))
        setBreakpoint(.toolExecuting)
        linkChildAtStart(of: call, tool: tool)
        try await commit(.durable)
        return (tool, call)
    }

    /// The tool run plus the postToolUse hook, as a closure that needs nothing from the actor:
    /// nil when it was cancelled, a failure output when it threw.
    func invocation(of tool: any Tool, for call: ToolCallRecord) -> @Sendable () async -> ToolOutput? {
        var made = ToolContext(agentId: id, callId: call.id, sandbox: sandbox, todos: AgentTodoBoard(agent: self), files: files)
        made.spawner = self
        let context = made
        let hookCall = HookToolCall(agentId: id, callId: call.id, name: call.name, input: call.input)
        let postToolUse = hooks.postToolUse
        return {
            do {
                var output = try await tool.run(hookCall.input, context: context)
                if let postToolUse { output = await postToolUse(hookCall, output) }
                return output
            } catch is CancellationError {
                return nil
            } catch {
                return ToolOutput.failure("\(tool.name) failed: \(error)")
            }
        }
    }

    /// Records how a started call ended. A tool stopped by an interrupt reports an error (or
    /// nothing): its effects are cut, so it is sealed rather than completed.
    func settle(_ callId: String, _ output: ToolOutput?) {
        guard let call = state.toolCalls[callId] else { return }
        let cut = output == nil || (interruptRequested && output?.isError == true)
        if let output, !cut {
            if output.isError {
                emit(.toolError(ToolErrorEvent(callId: call.id, name: call.name, message: String(output.content.prefix(500)))))
            }
            finish(call, output: output, state: output.isError ? .failed : .completed)
        } else {
            seal(call, because: "Interrupted: the tool was stopped before it finished; its side effects may be partial. It was not re-run.")
        }
    }
}
