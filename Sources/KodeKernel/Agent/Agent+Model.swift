import Foundation

extension Agent {
    /// One model call: PRE_MODEL (durable), stream the reply (chunks buffered), commit the
    /// assistant message and record its tool calls as PENDING.
    func modelStep() async throws {
        setBreakpoint(.preModel)
        try await commit(stepDurability)

        let messageId = Message.newID()
        // The request shares the conversation's storage; it must be gone before the reply is
        // appended, or the append would copy the whole conversation on every step.
        let reply = try await streamReply(messageId: messageId)
        publish(reply.closeOpenBlocks(messageId: messageId))

        var message = Message(id: messageId, role: .assistant, content: reply.contentBlocks())
        if let postModel = hooks.postModel { message = await postModel(message) }
        record(.message(message))
        recordUsage(reply.usage)
        let uses = message.toolUses
        if !uses.isEmpty {
            for use in uses {
                record(.toolCall(ToolCallRecord(id: use.id, name: use.name, input: use.input)))
            }
            setBreakpoint(.toolPending)
        }
        // Committed together with the next decision point (tool start, approval or turn end).
    }

    /// Builds the request, streams the reply and emits its Progress events. A failed stream
    /// commits nothing of the reply; an interrupted one keeps the text already shown.
    func streamReply(messageId: String) async throws -> ReplyAccumulator {
        var request = buildRequest()
        if let preModel = hooks.preModel { request = await preModel(request) }
        var reply = ReplyAccumulator()
        var streamOpened = false
        do {
            for try await event in provider.stream(request) {
                if interruptRequested { throw TurnInterrupted() }
                if !streamOpened {
                    streamOpened = true
                    setBreakpoint(.streamingModel)
                }
                publish(reply.consume(event, messageId: messageId))
                if !pipeline.batch.isEmpty { try await commit(.buffered) }
            }
            try Task.checkCancellation()
        } catch is CancellationError {
            try await keepPartialReply(reply, messageId: messageId)
            throw TurnInterrupted()
        } catch is TurnInterrupted {
            try await keepPartialReply(reply, messageId: messageId)
            throw TurnInterrupted()
        } catch {
            // The conversation still ends with the user's side, so continuing re-asks the model.
            publish(reply.closeOpenBlocks(messageId: messageId))
            let message = (error as? ModelError)?.message ?? "\(error)"
            emit(.error(ErrorEvent(phase: .model, severity: .error, message: message, detail: (error as? ModelError)?.kind.rawValue)))
            try await commit(.durable)
            throw ModelStepFailed()
        }
        return reply
    }

    /// On interrupt during streaming, the text already shown is kept as the assistant's
    /// (cut) reply; partial tool calls are dropped because they never became complete.
    func keepPartialReply(_ reply: ReplyAccumulator, messageId: String) async throws {
        publish(reply.closeOpenBlocks(messageId: messageId))
        let text = reply.text
        if !text.isEmpty {
            record(.message(Message(id: messageId, role: .assistant, content: [.text(text + "\n\n[interrupted]")])))
        }
    }

    func recordUsage(_ usage: TokenUsage) {
        guard usage != TokenUsage() else { return }
        let total = state.usage + usage
        let cost = costEstimator?(provider.info.model, usage)
        let totalCost = cost.map { ($0) + (state.costUSD ?? 0) } ?? state.costUSD
        emit(.tokenUsage(TokenUsageEvent(usage: usage, total: total, costUSD: cost, totalCostUSD: totalCost)))
    }

    /// The request for the next reply: system prompt, the conversation as the shaper keeps it
    /// (the newest compaction's summary, then the later messages, same-role neighbours merged,
    /// old tool results shortened past the budget) and the tool definitions. Costs what was added
    /// since the last request, not the history.
    func buildRequest() -> ModelRequest {
        shaper.update(with: state, budget: manifest.config.contextBudgetChars)
        if shaper.compressedResults > reportedCompressions {
            reportedCompressions = shaper.compressedResults
            emit(.contextCompression(ContextCompressionEvent(
                beforeChars: shaper.uncompressedBytes, afterChars: shaper.bytes, compressedResults: shaper.compressedResults)))
        }
        let thinking = manifest.config.thinking
        var request = ModelRequest(
            model: effectiveProviderConfig.model,
            system: systemPrompt(),
            messages: shaper.sent,
            tools: toolDefinitions,
            thinkingBudget: thinking.budget, reasoningEffort: thinking.effort, retainThinking: thinking.retain)
        request.compactedAssistantReplies = state.compaction?.replacedAssistantMessages ?? 0
        return request
    }

    static func fixedBytes(system: String, tools: [ToolDefinition]) -> Int {
        tools.reduce(system.utf8.count) { $0 + $1.name.utf8.count + $1.description.utf8.count + $1.inputSchema.approximateJSONLength }
    }
}

/// A model call failed; the error event is already recorded.
struct ModelStepFailed: Error {}

extension Agent {
    /// The model configuration this agent uses now (a `/model` switch included).
    var effectiveProviderConfig: ProviderConfig { state.providerOverride ?? manifest.config.provider }
}
