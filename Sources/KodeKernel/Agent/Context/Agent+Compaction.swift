import Foundation

/// Compaction (docs/AGENT.md, "Long sessions"): when the next request would pass the threshold,
/// or when asked, the model summarises the older conversation; a durable `compaction` record
/// holds the summary and the range it replaces, and later requests send summary + recent
/// messages. The log keeps every message. Each compaction has a safe fork point before and after.
extension Agent {
    /// Summarises the older conversation now (`kode compact`). Refused while a turn runs or waits
    /// for a person, and when there is nothing old enough to replace.
    ///
    /// It runs as the agent's current task, so ``interrupt()`` stops it (nothing changes, and
    /// this throws ``AgentError/compactionFailed(_:)``) and input sent meanwhile starts a turn
    /// once it is over.
    public func compact(instructions: String?) async throws {
        try ensureWritable()
        guard turnTask == nil, state.pendingApprovals.isEmpty else { throw AgentError.busy("compaction runs between turns; wait for the turn to end or interrupt it") }
        let trimmed = instructions?.trimmingCharacters(in: .whitespacesAndNewlines)
        let text = trimmed?.isEmpty == true ? nil : trimmed
        interruptRequested = false
        manualCompactionError = nil
        let task = Task { await self.runManualCompaction(instructions: text) }
        turnTask = task
        await task.value
        turnTask = nil
        let failure = manualCompactionError
        manualCompactionError = nil
        if !closed && !interruptRequested && readOnlyReason == nil { startTurnIfIdle() }
        if let failure { throw failure }
    }

    private func runManualCompaction(instructions: String?) async {
        do {
            try await runCompaction(trigger: .manual, instructions: instructions)
        } catch is TurnInterrupted {
            manualCompactionError = AgentError.compactionFailed("interrupted; the conversation is unchanged")
        } catch is CancellationError {
            manualCompactionError = AgentError.compactionFailed("interrupted; the conversation is unchanged")
        } catch {
            manualCompactionError = error
        }
    }

    /// Estimated tokens of the next request: the provider's count for the newest reply plus an
    /// estimate of what came after it, or (with no count yet, or after a compaction) an estimate
    /// of everything sent. O(1): every size is kept as messages arrive.
    func estimatedRequestTokens() -> Int {
        if let count = state.contextCount {
            return count.tokens + TokenEstimate.tokens(bytes: state.conversationChars - count.atBytes)
        }
        let saved = state.compaction.map { $0.replacedBytes - $0.summaryBytes } ?? 0
        return TokenEstimate.tokens(bytes: state.conversationChars - saved + fixedRequestBytes)
    }

    var contextWindow: Int { context.window(for: effectiveProviderConfig.model) }

    /// Compacts when the next request would pass the threshold. A failed summary is reported
    /// and the step goes on uncompacted: the request may still fit, and the character budget
    /// still shortens old tool results. The failure holds later attempts back
    /// (``CompactionBackoff``) and is reported once, not at every step it holds back.
    func compactIfNeeded() async throws {
        guard let threshold = context.compactionThreshold, threshold > 0 else { return }
        let estimate = estimatedRequestTokens()
        guard Double(estimate) > threshold * Double(contextWindow) else { return }
        let turn = state.turnInputIds.first
        if let backoff = compactionBackoff,
           !backoff.allowsRetry(messages: state.messages.count, tokens: estimate, turn: turn) { return }
        do {
            try await runCompaction(trigger: .threshold, instructions: nil)
        } catch let error as CompactionFailed {
            let backoff = CompactionBackoff(messages: state.messages.count, tokens: estimate, turn: turn, window: contextWindow)
            compactionBackoff = backoff
            emit(.error(ErrorEvent(
                phase: .model, severity: .warning,
                message: "compaction failed; the step goes on with the whole conversation, and \(backoff.retryDescription)",
                detail: error.message)))
            try await commit(.durable)
        } catch is NothingToCompact {
            return
        }
    }

    /// One compaction: safe point, COMPACTING (durable), the summary call, then the record, the
    /// `context_compression` event, the previous breakpoint and a second safe point in one sync.
    /// Nothing of the summary is durable before the record: a crash leaves the conversation as
    /// it was, and resuming simply compacts again when needed.
    func runCompaction(trigger: Compaction.Trigger, instructions: String?) async throws {
        let base = state.compaction?.replacedMessages ?? 0
        guard let split = compactionSplit(base: base) else {
            if trigger == .manual { throw AgentError.nothingToCompact(messages: state.messages.count) }
            throw NothingToCompact()
        }
        let tokensBefore = estimatedRequestTokens()
        let resumeAt = state.breakpoint
        addSafePoint(preview: "before compaction")
        setBreakpoint(.compacting)
        try await commit(.durable)

        let input = SummaryRequestBuilder(
            previous: state.compaction, messages: state.messages[base..<split], instructions: instructions,
            window: contextWindow, summaryMaxTokens: context.summaryMaxTokens)
        var request = ModelRequest(model: effectiveProviderConfig.model, system: SummaryRequestBuilder.system,
                                   messages: input.messages, tools: [], maxTokens: context.summaryMaxTokens)
        request.purpose = .summary
        let (summary, usage): (String, TokenUsage)
        do {
            (summary, usage) = try await streamSummary(request)
        } catch {
            setBreakpoint(resumeAt)
            if error is TurnInterrupted || error is CancellationError {
                try await commit(.durable)
                throw TurnInterrupted()
            }
            let message = (error as? ModelError)?.message ?? "\(error)"
            if trigger == .manual {
                emit(.error(ErrorEvent(phase: .model, severity: .error, message: "compaction failed", detail: message)))
                try await commit(.durable)
                throw AgentError.compactionFailed(message)
            }
            throw CompactionFailed(message: message)
        }

        let replaced = state.messages[0..<split]
        let replacedBytes = replaced.reduce(0) { $0 + ConversationShaper.size(of: $1) }
        var compaction = Compaction(
            id: "cmp_" + ShortID.make(), summary: summary, replacedMessages: split,
            firstMessageId: replaced.first?.id ?? "", lastMessageId: replaced.last?.id ?? "",
            replacedAssistantMessages: replaced.reduce(0) { $0 + ($1.role == .assistant ? 1 : 0) },
            replacedBytes: replacedBytes, summaryBytes: 0, tokensBefore: tokensBefore, tokensAfter: 0,
            trigger: trigger, instructions: instructions, trimmedToolOutputs: input.trimmedToolOutputs)
        compaction.summaryBytes = ConversationShaper.size(of: compaction.summaryMessage)
        let afterBytes = state.conversationChars - replacedBytes + compaction.summaryBytes
        compaction.tokensAfter = TokenEstimate.tokens(bytes: afterBytes + fixedRequestBytes)

        let beforeBytes = sentBytes(before: base)
        recordUsage(usage)
        record(.compaction(compaction))
        reportedCompressions = 0
        emit(.contextCompression(ContextCompressionEvent(
            beforeChars: beforeBytes,
            afterChars: afterBytes, compressedResults: 0, compactionId: compaction.id, trigger: trigger.rawValue,
            replacedMessages: split, tokensBefore: tokensBefore, tokensAfter: compaction.tokensAfter)))
        setBreakpoint(resumeAt)
        addSafePoint(preview: "after compaction: \(split) messages summarised")
        try await commit(.durable)
        compactionBackoff = nil
    }

    /// UTF-8 bytes the model was sent before this compaction (the previous summary and the
    /// messages after it).
    private func sentBytes(before base: Int) -> Int {
        guard let previous = state.compaction, previous.replacedMessages == base else { return state.conversationChars }
        return state.conversationChars - previous.replacedBytes + previous.summaryBytes
    }

    /// Where the kept part starts: messages `split...` are sent as they are. The kept part may not
    /// begin with tool results (their calls would be gone) nor replace a trailing call still
    /// waiting for its result; it holds the newest messages that fit `keepRecentFraction` of the
    /// window. nil when fewer than two messages could be replaced.
    func compactionSplit(base: Int) -> Int? {
        let messages = state.messages
        let count = messages.count
        func valid(_ s: Int) -> Bool {
            if s == count {
                guard let last = messages.last else { return false }
                return !(last.role == .assistant && !last.toolUses.isEmpty)
            }
            return !messages[s].content.contains { if case .toolResult = $0 { return true } else { return false } }
        }
        let keepTokens = Int(context.keepRecentFraction * Double(contextWindow))
        var suffixBytes = 0
        var best: Int?
        var s = count
        // Walk back from the end: the smallest valid split whose suffix still fits.
        while s > base + 1 {
            if s < count { suffixBytes += ConversationShaper.size(of: messages[s]) }
            if TokenEstimate.tokens(bytes: suffixBytes) > keepTokens { break }
            if valid(s) { best = s }
            s -= 1
        }
        if best == nil {
            // Even the newest message is too large to keep: replace everything that may be.
            best = stride(from: count, to: base + 1, by: -1).first(where: valid)
        }
        guard let split = best, split - base >= 2 else { return nil }
        return split
    }

    /// Streams the summarising call without Progress events (it is not a reply of the
    /// conversation) and returns its text and usage.
    private func streamSummary(_ request: ModelRequest) async throws -> (String, TokenUsage) {
        var reply = ReplyAccumulator()
        for try await event in provider.stream(request) {
            if interruptRequested { throw TurnInterrupted() }
            _ = reply.consume(event, messageId: "summary")
        }
        try Task.checkCancellation()
        let text = reply.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw ModelError(.malformed, "the model returned an empty summary") }
        return (text, reply.usage)
    }
}

/// A threshold compaction could not get its summary; the step goes on without it.
struct CompactionFailed: Error {
    var message: String
}

/// Fewer than two messages could be replaced.
struct NothingToCompact: Error {}
