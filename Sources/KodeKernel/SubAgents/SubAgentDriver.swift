import Foundation

/// Runs a child's turn to its end from wherever the child is: a fresh child gets the task, a
/// re-attached one continues its interrupted turn (or has already answered). Never hangs on a
/// cancelled parent: cancellation interrupts the child and waits for its turn to end.
enum SubAgentDriver {
    /// How the child's work ended.
    struct Ending: Sendable {
        var outcome: SubAgentFinishedEvent.Outcome
        /// The answer (completed) or what went wrong.
        var text: String

        /// The `task_run` result: the answer, or an error the model can read.
        func output(child: AgentID, lastError: String?) -> ToolOutput {
            switch outcome {
            case .completed:
                return ToolOutput(content: text)
            case .interrupted:
                return .failure("task_run: the sub-agent \(child) was interrupted before it answered.")
            case .failed:
                let cause = lastError.map { " Its last error: \($0)" } ?? ""
                return .failure("task_run: the sub-agent \(child) failed: \(text).\(cause)")
            }
        }
    }

    /// Runs `child` to the end of its turn. `stop` is what cancellation does to the child
    /// (interrupt it, or detach it when the parent is being detached); it must return once the
    /// child's turn can no longer go on.
    static func drive(_ child: Agent, task: String, stop: @escaping @Sendable () async -> Void) async -> Ending {
        let state = await child.snapshot()
        do {
            if state.messages.isEmpty && state.queuedInputs.isEmpty {
                try await child.send(task)
            } else if state.turnOpen || !state.queuedInputs.isEmpty {
                try await child.continueTurn()
            } else {
                return answer(in: state, reason: .completed)
            }
        } catch {
            return Ending(outcome: .failed, text: "\(error)")
        }
        // Cancelled before the child's turn existed: stop it now that it does.
        if Task.isCancelled { await stop() }
        await withTaskCancellationHandler {
            await child.waitUntilIdle()
        } onCancel: {
            Task { await stop() }
        }
        if Task.isCancelled {
            await stop()
            return Ending(outcome: .interrupted, text: "interrupted")
        }
        guard let reason = await child.lastTurnEnd else {
            let why = await child.readOnlyReason ?? "unknown"
            return Ending(outcome: .failed, text: "its turn stopped without ending (\(why))")
        }
        return answer(in: await child.snapshot(), reason: reason)
    }

    private static func answer(in state: AgentState, reason: TurnEnd) -> Ending {
        switch reason {
        case .interrupted:
            return Ending(outcome: .interrupted, text: "interrupted")
        case .stepLimit:
            return Ending(outcome: .failed, text: "it reached its step limit before answering")
        case .failed:
            return Ending(outcome: .failed, text: "its turn ended with an error")
        case .completed:
            guard let last = state.messages.last, last.role == .assistant, last.toolUses.isEmpty else {
                return Ending(outcome: .failed, text: "its turn ended without an answer")
            }
            return Ending(outcome: .completed, text: last.text)
        }
    }
}
