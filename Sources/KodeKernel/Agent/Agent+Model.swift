import Foundation

extension Agent {
    /// One model call: PRE_MODEL (durable), stream the reply (chunks buffered), commit the
    /// assistant message and record its tool calls as PENDING.
    func modelStep() async throws {
        setBreakpoint(.preModel)
        try await commit(.durable)

        let messageId = Message.newID()
        // The request shares the conversation's storage; it must be gone before the reply is
        // appended, or the append would copy the whole conversation on every step.
        let reply = try await streamReply(messageId: messageId)
        for event in reply.closeOpenBlocks(messageId: messageId) { emit(event) }

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
                for progress in reply.consume(event, messageId: messageId) { emit(progress) }
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
            for event in reply.closeOpenBlocks(messageId: messageId) { emit(event) }
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
        for event in reply.closeOpenBlocks(messageId: messageId) { emit(event) }
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

    /// The request for the next reply: system prompt, the conversation (consecutive same-role
    /// messages merged, old tool results compressed to fit the budget) and the tool definitions.
    func buildRequest() -> ModelRequest {
        // Both passes are skipped in the common case, so a step does not cost O(history) here.
        var messages = state.needsShaping ? ConversationShaper.mergeConsecutiveRoles(state.messages) : state.messages
        if state.conversationChars > manifest.config.contextBudgetChars {
            let (compressed, report) = ConversationShaper.compress(messages, budgetChars: manifest.config.contextBudgetChars)
            messages = compressed
            if report.compressedResults > reportedCompressions {
                reportedCompressions = report.compressedResults
                emit(.contextCompression(ContextCompressionEvent(
                    beforeChars: report.beforeChars, afterChars: report.afterChars, compressedResults: report.compressedResults)))
            }
        }
        return ModelRequest(
            model: state.providerOverride?.model ?? manifest.config.provider.model,
            system: manifest.config.systemPrompt ?? SystemPrompt.default(workDir: manifest.config.workDir),
            messages: messages,
            tools: toolDefinitions)
    }
}

/// A model call failed; the error event is already recorded.
struct ModelStepFailed: Error {}
