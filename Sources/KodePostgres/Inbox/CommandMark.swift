import Foundation
import KodeKernel

/// A command being applied, armed on its agent's writer: the commit that stores the record the
/// command produced also marks the command applied, in the same statement, so a crash can never
/// leave the effect stored and the command pending (applied twice) or the reverse (lost).
struct CommandMark: Sendable {
    let commandID: Int64
    /// The outcome to store when `record` is this command's effect, nil when it is not.
    let effect: @Sendable (_ record: RecordBody) -> String?

    /// The mark for a command whose effect is one record, or nil for commands applied
    /// idempotently (interrupt, continue), which are marked after they ran.
    static func forCommand(_ id: Int64, _ command: AgentCommand) -> CommandMark? {
        switch command {
        case .send(let text):
            return CommandMark(commandID: id) { body in
                if case .inputQueued(let input) = body, input.text == text { return input.id }
                return nil
            }
        case .decide(let callId, _, _, _, _):
            return CommandMark(commandID: id) { body in
                if case .event(.permissionDecided(let e)) = body, e.callId == callId { return callId }
                return nil
            }
        case .fork:
            return CommandMark(commandID: id) { body in
                if case .event(.agentForked(let e)) = body { return e.child }
                return nil
            }
        case .label(let label, _):
            return CommandMark(commandID: id) { body in
                if case .event(.checkpointCreated(let e)) = body, e.checkpoint.label == label {
                    return (try? String(decoding: JSONEncoder().encode(e.checkpoint), as: UTF8.self)) ?? e.checkpoint.id
                }
                return nil
            }
        case .rename(_, let by):
            return CommandMark(commandID: id) { body in
                if case .event(.agentRenamed(let e)) = body, e.by == by { return e.title ?? "" }
                return nil
            }
        case .addTrigger(_, let by):
            return scheduleMark(id, .added, by: by)
        case .removeTrigger(_, let by):
            return scheduleMark(id, .removed, by: by)
        case .interrupt, .continueTurn:
            return nil
        }
    }

    /// A trigger added or removed: the outcome is the trigger as JSON.
    private static func scheduleMark(_ id: Int64, _ change: ScheduleChangedEvent.Change, by: String) -> CommandMark {
        CommandMark(commandID: id) { body in
            guard case .event(.scheduleChanged(let e)) = body, e.change == change, e.by == by else { return nil }
            return (try? String(decoding: JSONEncoder().encode(e.trigger), as: UTF8.self)) ?? e.trigger.id
        }
    }
}
