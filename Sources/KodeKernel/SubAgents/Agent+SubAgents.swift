import Foundation

/// `task_run` from the parent's side: plan the child, make its link durable, run (or re-attach
/// to) it, and turn how its turn ended into the call's result.
extension Agent {
    /// How deep this agent is among sub-agents (0 when nobody spawned it).
    var spawnDepth: Int { manifest.spawnedBy?.depth ?? 0 }

    /// Runs the child of `task_run` call `callId` and returns its answer, or a failed result
    /// saying why there is none. A call the process stopped during (see ``recover(repairs:)``)
    /// re-attaches to the child its `subagent_started` names; any other call spawns a new child,
    /// after that record is durable.
    func runSubAgent(_ request: TaskRequest, callId: String, settings: SubAgentSettings) async throws -> ToolOutput {
        let started = ContinuousClock.now
        let child: Agent
        do {
            let plan = try ChildPlan.make(
                request, settings: settings, parentConfig: manifest.config, parentProvider: effectiveProviderConfig,
                parentTools: tools.names, parentDepth: spawnDepth)
            var childId: AgentID
            var reattached = false
            if subAgents.reattach.contains(callId), let recorded = try await recordedChild(of: callId) {
                childId = recorded
                reattached = true
            } else if let linked = subAgents.linked.removeValue(forKey: callId) {
                // Its link was made durable with the call's start (`linkChildAtStart`).
                childId = linked
            } else {
                childId = AgentManifest.newID()
                emit(.subagentStarted(startEvent(callId: callId, child: childId, plan: plan, reattached: false)))
                try await commit(.durable)
            }
            child = try await openChild(childId, callId: callId, plan: plan, settings: settings, mayExist: reattached)
            if reattached {
                emit(.subagentStarted(startEvent(callId: callId, child: childId, plan: plan, reattached: true)))
                try? await commit(.buffered)
            }
        } catch let failure as ToolFailure {
            return .failure(failure.description)
        }

        subAgents.running[child.id] = child
        let relay = startRelay(from: child)
        let ending = await SubAgentDriver.drive(child, task: request.task) { await self.stop(child) }
        subAgents.running[child.id] = nil
        await child.close(writingSnapshot: false)
        // Closing the child ended its event streams: once the relay has taken what was left in
        // its buffer (the child's last error among it), its task returns. Reading the error
        // before that would race the relay.
        await relay.task.value
        let error = subAgents.lastError.removeValue(forKey: child.id)

        let output = ending.output(child: child.id, lastError: error)
        emit(.subagentFinished(SubAgentFinishedEvent(
            callId: callId, child: child.id, parent: id, outcome: ending.outcome,
            preview: String(output.content.prefix(200)), durationMs: started.duration(to: .now).milliseconds)))
        return output
    }

    /// Records the link to a new `task_run` call's child in the batch of the call's start, so
    /// the one sync that makes the start durable makes the link durable too (before the child
    /// exists, as ever). Called by `start` just before that commit. Nothing is recorded for a call
    /// whose input or plan is refused (its run reports why) or that is being re-attached.
    func linkChildAtStart(of call: ToolCallRecord, tool: any Tool) {
        guard let taskRun = tool as? TaskRunTool, !subAgents.reattach.contains(call.id),
              let request = try? TaskRequest(call.input),
              let plan = try? ChildPlan.make(
                  request, settings: taskRun.settings, parentConfig: manifest.config, parentProvider: effectiveProviderConfig,
                  parentTools: tools.names, parentDepth: spawnDepth)
        else { return }
        let child = AgentManifest.newID()
        emit(.subagentStarted(startEvent(callId: call.id, child: child, plan: plan, reattached: false)))
        subAgents.linked[call.id] = child
    }

    /// What stopping this agent's turn does to a running child: an interrupt (or close)
    /// interrupts it; a detach — leaving everything as a crash would, for another process to
    /// continue — detaches it too, so the next owner re-attaches and the child goes on.
    /// `interrupt` and `detach` return once the child's turn can no longer go on.
    private func stop(_ child: Agent) async {
        if closed { await child.detach() } else { await child.interrupt() }
    }

    private func startEvent(callId: String, child: AgentID, plan: ChildPlan, reattached: Bool) -> SubAgentStartedEvent {
        SubAgentStartedEvent(
            callId: callId, child: child, parent: id, template: plan.config.template, model: plan.config.provider.model,
            tools: plan.config.tools ?? [], depth: plan.depth, reattached: reattached)
    }

    /// The child a `subagent_started` of this agent's log names for `callId` (the newest, as a
    /// scripted model may reuse a call id in a later turn); nil when the process stopped before
    /// that record was durable — then no child was ever made for the call.
    private func recordedChild(of callId: String) async throws -> AgentID? {
        var found: AgentID?
        for record in try await store.records(of: id, after: 0) {
            if case .event(.subagentStarted(let e)) = record.body, e.callId == callId, !e.reattached { found = e.child }
        }
        return found
    }

    /// Opens the child: resumed by its own recovery when its manifest exists, created with the
    /// recorded id when the process stopped before that. Only a re-attached child (`mayExist`)
    /// can have a manifest already; a new id is simply created.
    private func openChild(_ childId: AgentID, callId: String, plan: ChildPlan, settings: SubAgentSettings, mayExist: Bool) async throws -> Agent {
        let stored = mayExist ? try? await store.manifest(of: childId) : nil
        let config = stored?.config ?? plan.config
        var deps = dependencies
        deps.tools = tools
        deps.hooks = settings.childHooks ?? hooks
        deps.sandbox = sandbox
        if let make = settings.provider {
            do {
                deps.provider = try make(config.provider)
            } catch {
                throw ToolFailure("task_run: cannot make the model \(config.provider.name)/\(config.provider.model) for the sub-agent: \(error)")
            }
        } else if config.provider == effectiveProviderConfig {
            deps.provider = provider
        } else {
            throw ToolFailure("task_run: only this agent's model (\(effectiveProviderConfig.model)) can run a sub-agent here, not \(config.provider.model): no model factory is configured")
        }
        do {
            if stored != nil { return try await Agent.resume(id: childId, dependencies: deps) }
            let manifest = AgentManifest(
                id: childId, config: plan.config,
                spawnedBy: SpawnRef(agentId: id, callId: callId, depth: plan.depth))
            // Nothing outside depends on the new child until it records something durable, and
            // this agent's log already names it: its files become durable with its first sync.
            return try await Agent.create(manifest: manifest, sandbox: sandbox, dependencies: deps, creation: .deferred)
        } catch {
            throw ToolFailure("task_run: cannot open the sub-agent \(childId): \(error)")
        }
    }

    /// Copies the child's approval requests and decisions into this agent's Control channel
    /// (with ``RoutedCallID`` ids, naming the child), so whoever watches this agent sees and
    /// answers them; keeps the child's newest error for a failed result.
    private func startRelay(from child: Agent) -> EventSubscriptionHandle {
        let events = child.subscribe(channels: [.control, .monitor], kinds: [.permissionRequired, .permissionDecided, .error])
        let task = Task {
            // Requests that were pending before the subscription (a child resumed with them).
            for call in await child.snapshot().pendingApprovals {
                await self.relay(.permissionRequired(await child.permissionRequest(for: call)), from: child.id)
            }
            for await envelope in events { await self.relay(envelope.event, from: child.id) }
        }
        return EventSubscriptionHandle(stream: events, task: task)
    }

    private func relay(_ event: AgentEvent, from child: AgentID) async {
        switch event {
        case .permissionRequired(var e):
            guard subAgents.running[child] != nil else { return }
            e.callId = RoutedCallID(agent: child, call: e.callId).text
            e.agentId = child
            emit(.permissionRequired(e))
        case .permissionDecided(var e):
            e.callId = RoutedCallID(agent: child, call: e.callId).text
            emit(.permissionDecided(e))
        case .error(let e):
            subAgents.lastError[child] = e.detail.map { "\(e.message): \($0)" } ?? e.message
            return
        default:
            return
        }
        try? await commit(.buffered)
    }

    /// Forwards a decision for a running child's call (`CHILD_ID/CALL_ID`); false when `callId`
    /// names no call of a running child.
    func decideForChild(_ callId: String, _ decision: DecisionKind, note: String?, scope: DecisionScope, by decidedBy: String) async throws -> Bool {
        guard state.toolCalls[callId] == nil, let routed = RoutedCallID(callId), let child = subAgents.running[routed.agent] else { return false }
        try await child.decide(routed.call, decision, note: note, scope: scope, by: decidedBy)
        return true
    }
}

extension Duration {
    /// Whole milliseconds.
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}

