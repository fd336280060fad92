import Foundation

/// Where a tool call is allowed, denied or sent to a person: the preToolUse hook and the
/// permission policy, then people's decisions and the "always" rules they grant.
extension Agent {
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
        let evaluated = verdict ?? PermissionEvaluator.evaluate(
            toolName: call.name, subject: subject, isReadOnly: tool.isReadOnly,
            policy: manifest.config.permission, rules: state.rules)
        let final = PermissionEvaluator.escalated(evaluated, tool.escalation(for: call.input))
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

    /// Answers a call waiting for approval. `scope: .always` also grants this agent a rule, and
    /// `scope: .project` grants it to every agent of the project: the rule (shown in
    /// `permission_required.alwaysPattern`) is written to the project's `.kode/config.toml`
    /// first, through the agent's ``ProjectRuleWriter``, and then recorded in this agent's log.
    /// A deny with either scope is an "always deny". Deciding a call that is not pending is an
    /// error; so is `.project` when the rule cannot be written (nothing is recorded then).
    public func decide(_ callId: String, _ decision: DecisionKind, note: String? = nil, scope: DecisionScope = .once, by decidedBy: String = "user") async throws {
        try ensureWritable()
        if try await decideForChild(callId, decision, note: note, scope: scope, by: decidedBy) { return }
        guard var call = state.toolCalls[callId] else { throw AgentError.unknownCall(callId) }
        guard call.state == .approvalRequired else { throw AgentError.notPending(callId: callId, state: call.state) }
        var rule: PermissionRule?
        if scope != .once {
            let subject = tools.tool(named: call.name)?.permissionSubject(for: call.input)
            let pattern = PermissionEvaluator.alwaysPattern(toolName: call.name, subject: subject)
            rule = PermissionRule(pattern: pattern, decision: decision, grantedBy: decidedBy, note: note,
                                  scope: scope == .project ? .project : .agent)
            if scope == .project { _ = try writeProjectRule(pattern: pattern, decision: decision) }
        }
        call.decision = ToolDecision(decision: decision, decidedBy: decidedBy, note: note, scope: scope)
        emit(.permissionDecided(PermissionDecidedEvent(callId: callId, decision: decision, decidedBy: decidedBy, note: note, scope: scope)))
        if let rule { emit(.permissionRuleChanged(PermissionRuleChangedEvent(change: .granted, rule: rule))) }
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

    /// Revokes an "always" rule of this agent (recorded in the log as `permission_rule_changed`,
    /// so it stays revoked after a restart). A project rule is also taken out of the project's
    /// `.kode/config.toml` first, through the agent's ``ProjectRuleWriter``; without one, only this
    /// agent's copy is revoked.
    public func revokeRule(_ ruleId: String) async throws {
        try ensureWritable()
        guard let rule = state.rules.first(where: { $0.id == ruleId }) else {
            throw AgentError.unknownRule(ruleId)
        }
        if rule.scope == .project, let projectRules {
            do {
                _ = try projectRules.remove(pattern: rule.pattern, decision: rule.decision, workDir: manifest.config.workDir)
            } catch {
                throw AgentError.projectRule("cannot remove \(rule.pattern) from the project configuration: \(error)")
            }
        }
        emit(.permissionRuleChanged(PermissionRuleChangedEvent(change: .revoked, rule: rule)))
        try await commit(.durable)
    }

    /// Writes a project rule; the location it is written at.
    private func writeProjectRule(pattern: String, decision: DecisionKind) throws -> String {
        guard let projectRules else {
            throw AgentError.projectRule("rules for the whole project cannot be written by this program (it has no project configuration writer); decide for this agent instead")
        }
        do {
            return try projectRules.add(pattern: pattern, decision: decision, workDir: manifest.config.workDir)
        } catch {
            throw AgentError.projectRule("cannot write \(pattern) to the project configuration: \(error)")
        }
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
}
