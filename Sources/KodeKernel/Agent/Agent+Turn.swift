import Foundation

/// Thrown inside a turn when `interrupt()` stopped it.
struct TurnInterrupted: Error {}

extension Agent {
    func startTurnIfIdle() {
        guard turnTask == nil, !state.queuedInputs.isEmpty else { return }
        startTurn()
    }

    func startTurn() {
        interruptRequested = false
        lastTurnEnd = nil
        turnTask = Task { await self.runTurn() }
    }

    /// One turn: absorb input, then alternate model calls and tool batches until the model stops
    /// asking for tools, the step limit is hit, an error ends it or it is interrupted.
    ///
    /// The loop is driven by the state, not by where it was: the next action is derived from the
    /// conversation, so a resumed or forked agent continues with the same code.
    func runTurn() async {
        var reason = TurnEnd.completed
        do {
            setRuntimeState(.working)
            recordWorkspace()
            // Input waits while the last assistant message still has calls to answer (a turn cut
            // by a crash, continued by new input): between a tool_use and its result it would
            // orphan the call and make an unsafe fork point. It is absorbed once the model has
            // answered the batch.
            if !(state.messages.last.map { $0.role == .assistant && !$0.toolUses.isEmpty } ?? false) {
                absorbQueuedInputs()
            }
            var steps = 0
            while true {
                if interruptRequested { throw TurnInterrupted() }
                // Continuing an agent that never accepted input has nothing to answer.
                if state.messages.isEmpty { break }
                if let last = state.messages.last, last.role == .assistant {
                    if last.toolUses.isEmpty {
                        if state.queuedInputs.isEmpty { break }
                        absorbQueuedInputs()
                    } else {
                        try await processToolCalls(of: last)
                        continue
                    }
                }
                if steps >= manifest.config.maxSteps {
                    emit(.error(ErrorEvent(
                        phase: .system, severity: .error,
                        message: "step limit reached: \(manifest.config.maxSteps) model calls in one turn; the turn ended",
                        detail: "raise it with --max-steps")))
                    reason = .stepLimit
                    break
                }
                sendReminders(step: steps)
                sendScheduledReminders()
                try await compactIfNeeded()
                steps += 1
                try await modelStep()
                if interruptRequested { throw TurnInterrupted() }
            }
        } catch is TurnInterrupted {
            reason = .interrupted
            finishInterruptedCalls()
        } catch is CancellationError {
            reason = .interrupted
            finishInterruptedCalls()
        } catch is ModelStepFailed {
            reason = .failed
        } catch let error as AgentError {
            if case .readOnly = error {
                turnTask = nil
                failChatWaiters(error)
                return
            }
            emit(.error(ErrorEvent(phase: .system, severity: .error, message: error.description)))
            reason = .failed
        } catch {
            emit(.error(ErrorEvent(phase: .system, severity: .error, message: "\(error)")))
            reason = .failed
        }
        await endTurn(reason)
    }

    /// Moves queued input into the conversation as user messages; each is a safe fork point.
    func absorbQueuedInputs() {
        guard !state.queuedInputs.isEmpty else { return }
        for input in state.queuedInputs {
            record(.message(Message(id: input.id, role: .user, content: [.text(input.text)])))
            addSafePoint(preview: input.text)
        }
    }

    /// Records a safe fork point (an automatic checkpoint) at the current position.
    func addSafePoint(preview: String) {
        let seq = nextSeq
        // A room message's first line is the header the model reads; the point is named by who
        // said what.
        let text = RoomMessageHeader(preview).map { "@\($0.from): \($0.body)" } ?? preview
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let checkpoint = Checkpoint(
            id: "cp_\(seq)", seq: seq, label: nil, time: Date(),
            preview: String(line.prefix(120)), messageCount: state.messages.count)
        emit(.checkpointCreated(CheckpointCreatedEvent(checkpoint: checkpoint)))
    }

    /// Ends a turn: reminder for open todos, READY, `done` with its own bookmark, one sync.
    func endTurn(_ reason: TurnEnd) async {
        let open = state.todos.filter { $0.status != .completed }.count
        if open > 0 && reason == .completed {
            emit(.todoReminder(TodoReminderEvent(open: open, message: "\(open) todo item(s) are still open")))
        }
        setBreakpoint(.ready)
        setRuntimeState(.ready)
        let inputIds = state.turnInputIds
        let done = DoneEvent(bookmark: Bookmark(seq: nextSeq, timestamp: Date()), reason: reason, inputIds: inputIds)
        record(.event(.done(done)), at: done.bookmark.timestamp)
        // A completed answer is a safe fork point too: the natural place to branch with a
        // different next question. It follows `done`, so a child forked here starts idle.
        if reason == .completed, let last = state.messages.last, last.role == .assistant, last.toolUses.isEmpty {
            addSafePoint(preview: "answer: " + last.text)
        }
        do {
            try await commit(.durable)
        } catch {
            turnTask = nil
            failChatWaiters(error)
            return
        }
        turnTask = nil
        lastTurnEnd = reason
        for inputId in inputIds {
            chatWaiters.removeValue(forKey: inputId)?.resume(returning: done)
        }
        await writeSnapshotIfNeeded()
        if !closed && !interruptRequested && readOnlyReason == nil { startTurnIfIdle() }
    }

    func failChatWaiters(_ error: any Error) {
        for (_, waiter) in chatWaiters { waiter.resume(throwing: error) }
        chatWaiters.removeAll()
    }

    func waitForTurn(answering inputId: String) async throws -> DoneEvent {
        try await withCheckedThrowingContinuation { continuation in
            chatWaiters[inputId] = continuation
        }
    }

    /// Stops the running turn: the model stream is cancelled, running tools are killed and
    /// sealed, pending calls are answered, and `done` reports `interrupted`.
    public func interrupt() async {
        guard let task = turnTask else { return }
        interruptRequested = true
        task.cancel()
        wakeDecisionWaiters()
        await sandbox.terminateAll()
        await task.value
    }
}
