import Foundation
import KodeKernel
import Logging

/// Applies one inbox command to an agent this process owns, exactly once: commands whose effect
/// is a record (send, decide, fork, label, rename, schedule, unschedule) are armed on the writer so the commit of that record
/// marks them applied; interrupt and continue are idempotent and marked after they ran. A
/// command the agent refuses is marked failed with the reason, for the client to read.
enum CommandApplier {
    /// False when this process no longer owns the agent (the command is left to the next owner).
    static func apply(_ commandID: Int64, _ command: AgentCommand, to handle: any AgentHandle, store: PostgresStore, logger: Logger) async -> Bool {
        // Every mark below is conditional on this epoch: a stale owner marks nothing.
        guard let epoch = store.ownedEpoch(of: handle.id) else { return false }
        let armed = store.arm(commandID, command, on: handle.id)
        do {
            let outcome = try await perform(command, on: handle)
            // Armed and consumed: the effect's commit marked it. Otherwise mark it now.
            if !armed || store.disarm(commandID, on: handle.id) {
                try await store.finishCommand(commandID, failed: false, outcome: outcome, epoch: epoch)
            }
        } catch {
            if armed { _ = store.disarm(commandID, on: handle.id) }
            guard store.ownedEpoch(of: handle.id) == epoch else { return false }
            logger.info("command refused", metadata: ["agent": "\(handle.id)", "command": "\(commandID)", "reason": "\(error)"])
            do {
                try await store.finishCommand(commandID, failed: true, outcome: "\(error)", epoch: epoch)
            } catch {
                logger.warning("could not mark a command", metadata: ["command": "\(commandID)", "reason": "\(error)"])
            }
        }
        return store.ownedEpoch(of: handle.id) == epoch
    }

    private static func perform(_ command: AgentCommand, on handle: any AgentHandle) async throws -> String {
        switch command {
        case .send(let text):
            return try await handle.send(text)
        case .decide(let callId, let decision, let note, let scope, let by):
            try await handle.decide(callId, decision, note: note, scope: scope, by: by)
            return callId
        case .interrupt:
            try await handle.interrupt()
            return "interrupted"
        case .continueTurn:
            try await handle.continueTurn()
            return "continued"
        case .fork(let at):
            return try await handle.fork(at: at)
        case .label(let label, let at):
            let checkpoint = try await handle.checkpoint(label: label, at: at)
            return String(decoding: try JSONEncoder().encode(checkpoint), as: UTF8.self)
        case .rename(let title, let by):
            return try await handle.rename(to: title, by: by) ?? ""
        case .addTrigger(let spec, let by):
            return String(decoding: try JSONEncoder().encode(try await handle.addTrigger(spec, by: by)), as: UTF8.self)
        case .removeTrigger(let idOrName, let by):
            return String(decoding: try JSONEncoder().encode(try await handle.removeTrigger(idOrName, by: by)), as: UTF8.self)
        }
    }
}
