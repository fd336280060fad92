import Foundation

/// A message's tool calls from PENDING to answered: the order of evaluation, approval and runs,
/// and how each call's final state and the tool-result message are recorded.
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

        try await reattachSubAgents(of: message)
        if interruptRequested { throw TurnInterrupted() }
        try await sealUnattached(of: message)

        let approved = message.toolUses.compactMap { state.toolCalls[$0.id] }.filter { $0.state == .approved }
        if !approved.isEmpty {
            setBreakpoint(.preTool)
            try await runApproved(approved)
            if interruptRequested { throw TurnInterrupted() }
        }

        setBreakpoint(.postTool)
        recordWorkspace()
        commitToolResults(for: message)
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
        for notice in output.notices {
            emit(.error(ErrorEvent(phase: .tool, severity: notice.severity, message: notice.message, detail: "\(call.name) \(call.id)")))
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
        recordWorkspace()
        commitToolResults(for: last)
    }
}
