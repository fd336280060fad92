import Foundation

extension Agent {
    /// Handles the tool calls of one assistant message: evaluate each PENDING call, wait for
    /// people where needed, run what is allowed (bounded concurrency, each start durable before it
    /// runs), then commit one tool-result message and a safe fork point.
    func processToolCalls(of message: Message) async throws {
        // A tool_use without a record cannot come from this runtime, but a hand-edited or older
        // log must still end with every call answered.
        for use in message.toolUses where state.toolCalls[use.id] == nil {
            record(.toolCall(ToolCallRecord(id: use.id, name: use.name, input: use.input)))
        }

        for use in message.toolUses {
            guard let call = state.toolCalls[use.id], call.state == .pending else { continue }
            await evaluate(call)
        }

        if !state.pendingApprovals.isEmpty {
            setBreakpoint(.awaitingApproval)
            setRuntimeState(.paused)
            try await commit(.durable)
            while !state.pendingApprovals.isEmpty {
                if interruptRequested { throw TurnInterrupted() }
                await waitForDecision()
            }
            if interruptRequested { throw TurnInterrupted() }
            setRuntimeState(.working)
        }

        let approved = message.toolUses.compactMap { state.toolCalls[$0.id] }.filter { $0.state == .approved }
        if !approved.isEmpty {
            setBreakpoint(.preTool)
            try await runApproved(approved)
            if interruptRequested { throw TurnInterrupted() }
        }

        setBreakpoint(.postTool)
        commitToolResults(for: message)
    }

    /// Evaluates one PENDING call: unknown tool, invalid input, the preToolUse hook, then the
    /// permission policy. Leaves it FAILED, DENIED, COMPLETED (hook answer), APPROVED or
    /// APPROVAL_REQUIRED.
    func evaluate(_ pending: ToolCallRecord) async {
        var call = pending
        guard let tool = tools.tool(named: call.name) else {
            let available = tools.names.sorted().joined(separator: ", ")
            fail(call, message: "Unknown tool '\(call.name)'. Available tools: \(available).")
            return
        }
        if let raw = call.input["_invalid_json"]?.stringValue {
            fail(call, message: "Invalid input for \(call.name): the arguments are not valid JSON: \(raw.prefix(200))")
            return
        }
        do {
            try JSONSchema.validate(call.input, against: tool.inputSchema)
        } catch {
            fail(call, message: "Invalid input for \(call.name): \(error)")
            return
        }

        var verdict: PermissionVerdict?
        if let preToolUse = hooks.preToolUse {
            switch await preToolUse(HookToolCall(agentId: id, callId: call.id, name: call.name, input: call.input)) {
            case .proceed: break
            case .allow: verdict = .allow(reason: "allowed by the preToolUse hook")
            case .deny(let reason): verdict = .deny(reason: reason)
            case .ask(let reason): verdict = .ask(reason: reason)
            case .answer(let output):
                call.decision = ToolDecision(decision: .allow, decidedBy: "hook", note: "answered by the preToolUse hook")
                finish(call, output: output, state: output.isError ? .failed : .completed)
                return
            }
        }
        let subject = tool.permissionSubject(for: call.input)
        let final = verdict ?? PermissionEvaluator.evaluate(
            toolName: call.name, subject: subject, isReadOnly: tool.isReadOnly,
            policy: manifest.config.permission, rules: state.rules)
        switch final {
        case .allow(let reason):
            call.state = .approved
            call.reason = reason
            call.decision = ToolDecision(decision: .allow, decidedBy: verdict == nil ? "policy" : "hook", note: reason)
            call.updatedAt = Date()
            record(.toolCall(call))
        case .deny(let reason):
            call.decision = ToolDecision(decision: .deny, decidedBy: verdict == nil ? "policy" : "hook", note: reason)
            finish(call, output: .failure("Denied: \(reason)"), state: .denied)
        case .ask(let reason):
            call.state = .approvalRequired
            call.reason = reason
            call.updatedAt = Date()
            record(.toolCall(call))
            emit(.permissionRequired(permissionRequest(for: call)))
        }
    }

    /// The Control event asking a person about `call` (also re-published on resume).
    func permissionRequest(for call: ToolCallRecord) -> PermissionRequiredEvent {
        let subject = tools.tool(named: call.name)?.permissionSubject(for: call.input)
        return PermissionRequiredEvent(
            callId: call.id, call: call,
            inputPreview: ToolInputPreview.render(name: call.name, input: call.input),
            reason: call.reason ?? "approval required",
            alwaysPattern: PermissionEvaluator.alwaysPattern(toolName: call.name, subject: subject))
    }

    /// Marks a call FAILED before it ran (unknown tool, bad input).
    func fail(_ call: ToolCallRecord, message: String) {
        emit(.toolError(ToolErrorEvent(callId: call.id, name: call.name, message: message)))
        finish(call, output: .failure(message), state: .failed)
    }

    /// Records a call's final state with its full output, and its `tool:end` and audit line.
    func finish(_ pending: ToolCallRecord, output: ToolOutput, state final: ToolCallState) {
        var call = pending
        let now = Date()
        call.state = final
        call.output = output.content
        call.outputPreview = String(output.content.prefix(ToolCallRecord.previewLimit))
        call.isError = output.isError || final == .failed || final == .denied || final == .sealed
        call.finishedAt = now
        call.updatedAt = now
        record(.toolCall(call))
        for change in output.fileChanges {
            emit(.fileChanged(FileChangedEvent(callId: call.id, path: change.path, action: change.action)))
        }
        emit(.toolEnd(ToolEndEvent(
            callId: call.id, name: call.name, state: final, isError: call.isError,
            durationMs: call.durationMs, outputPreview: call.outputPreview ?? "")))
        let approval: String
        if let decision = call.decision {
            approval = "\(decision.decision.rawValue):\(decision.decidedBy)"
        } else {
            approval = "none"
        }
        emit(.toolExecuted(ToolExecutedEvent(
            callId: call.id, name: call.name, state: final, durationMs: call.durationMs, approval: approval,
            inputPreview: ToolInputPreview.render(name: call.name, input: call.input),
            outputBytes: output.content.utf8.count, isError: call.isError)))
    }

    /// Runs approved calls, at most `toolConcurrency` at once. Each start (EXECUTING, `tool:start`)
    /// is durable before the tool runs; each result is durable before anything else runs, and the
    /// last rides with the tool-result message's sync.
    func runApproved(_ calls: [ToolCallRecord]) async throws {
        let limit = max(1, manifest.config.toolConcurrency)
        if calls.count == 1 || limit == 1 {
            try await runInOrder(calls)
        } else {
            try await runConcurrently(calls, limit: limit)
        }
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
        try await commit(.durable)
        return (tool, call)
    }

    /// The tool run plus the postToolUse hook, as a closure that needs nothing from the actor:
    /// nil when it was cancelled, a failure output when it threw.
    private func invocation(of tool: any Tool, for call: ToolCallRecord) -> @Sendable () async -> ToolOutput? {
        let context = ToolContext(agentId: id, callId: call.id, sandbox: sandbox, todos: AgentTodoBoard(agent: self))
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
    private func settle(_ callId: String, _ output: ToolOutput?) {
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

    /// Answers a call whose outcome is unknown or cut; never re-run.
    func seal(_ call: ToolCallRecord, because message: String) {
        emit(.toolError(ToolErrorEvent(callId: call.id, name: call.name, message: message)))
        finish(call, output: .failure(message), state: .sealed)
    }

    /// The tool-result message for `message`'s calls, in call order, then a safe fork point.
    func commitToolResults(for message: Message) {
        var blocks: [ContentBlock] = []
        var names: [String] = []
        for use in message.toolUses {
            let call = state.toolCalls[use.id]
            blocks.append(.toolResult(
                toolUseId: use.id,
                content: call?.output ?? "No result was recorded for this call.",
                isError: call?.isError ?? true))
            names.append(use.name)
        }
        record(.message(Message(role: .user, content: blocks)))
        addSafePoint(preview: "results: " + names.joined(separator: ", "))
    }

    /// After an interrupt: every call of the newest assistant message that has no result gets
    /// one (running → sealed, not started → denied), then the tool-result message.
    func finishInterruptedCalls() {
        guard let last = state.messages.last, last.role == .assistant, !last.toolUses.isEmpty else { return }
        for use in last.toolUses {
            let call = state.toolCalls[use.id] ?? ToolCallRecord(id: use.id, name: use.name, input: use.input)
            switch call.state {
            case .executing:
                seal(call, because: "Interrupted: the tool was stopped before it finished; its side effects may be partial. It was not re-run.")
            case .pending, .approvalRequired, .approved:
                var denied = call
                denied.decision = ToolDecision(decision: .deny, decidedBy: "interrupt", note: "the turn was interrupted")
                finish(denied, output: .failure("Not run: the turn was interrupted before this call started."), state: .denied)
            default:
                break
            }
        }
        setBreakpoint(.postTool)
        commitToolResults(for: last)
    }

    // MARK: Decisions

    /// Answers a call waiting for approval. `scope: .always` also grants this agent a rule (shown
    /// in `permission_required.alwaysPattern`). Deciding a call that is not pending is an error.
    public func decide(_ callId: String, _ decision: DecisionKind, note: String? = nil, scope: DecisionScope = .once, by decidedBy: String = "user") async throws {
        try ensureWritable()
        guard var call = state.toolCalls[callId] else { throw AgentError.unknownCall(callId) }
        guard call.state == .approvalRequired else { throw AgentError.notPending(callId: callId, state: call.state) }
        call.decision = ToolDecision(decision: decision, decidedBy: decidedBy, note: note, scope: scope)
        emit(.permissionDecided(PermissionDecidedEvent(callId: callId, decision: decision, decidedBy: decidedBy, note: note, scope: scope)))
        if scope == .always {
            let subject = tools.tool(named: call.name)?.permissionSubject(for: call.input)
            let rule = PermissionRule(
                pattern: PermissionEvaluator.alwaysPattern(toolName: call.name, subject: subject),
                decision: decision, grantedBy: decidedBy, note: note)
            emit(.permissionRuleChanged(PermissionRuleChangedEvent(change: .granted, rule: rule)))
        }
        switch decision {
        case .allow:
            call.state = .approved
            call.updatedAt = Date()
            record(.toolCall(call))
        case .deny:
            let text = "Denied by \(decidedBy)" + (note.map { ": \($0)" } ?? ".")
            finish(call, output: .failure(text), state: .denied)
        }
        try await commit(.durable)
        wakeDecisionWaiters()
    }

    /// Revokes an "always" rule granted to this agent.
    public func revokeRule(_ ruleId: String) async throws {
        try ensureWritable()
        guard let rule = state.rules.first(where: { $0.id == ruleId }) else {
            throw AgentError.unknownCall(ruleId)
        }
        emit(.permissionRuleChanged(PermissionRuleChangedEvent(change: .revoked, rule: rule)))
        try await commit(.durable)
    }

    func waitForDecision() async {
        await withCheckedContinuation { continuation in
            decisionWaiters.append(continuation)
        }
    }

    func wakeDecisionWaiters() {
        let waiters = decisionWaiters
        decisionWaiters.removeAll()
        for waiter in waiters { waiter.resume() }
    }

    // MARK: Todos

    /// Replaces the todo list (from `todo_write`); at most one item may be in progress.
    func replaceTodos(_ todos: [TodoItem]) async throws {
        let inProgress = todos.filter { $0.status == .inProgress }
        if inProgress.count > 1 {
            throw AgentError.invalidTodos("at most one todo may be in_progress; got \(inProgress.count): \(inProgress.map(\.id).joined(separator: ", "))")
        }
        emit(.todoChanged(TodoChangedEvent(todos: todos)))
        try await commit(.durable)
    }
}

/// The agent's todo list as tools see it.
struct AgentTodoBoard: TodoBoard {
    weak var agent: Agent?

    func todos() async -> [TodoItem] {
        await agent?.snapshot().todos ?? []
    }

    func replace(with todos: [TodoItem]) async throws {
        guard let agent else { throw AgentError.closed }
        try await agent.replaceTodos(todos)
    }
}
