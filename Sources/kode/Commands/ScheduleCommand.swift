import ArgumentParser
import Foundation
import KodeKernel

/// `kode schedule add|list|remove`: an agent's scheduler triggers (docs/MULTI-AGENT.md, "Scheduler").
struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Add, list and remove an agent's scheduler triggers.",
        discussion: """
            A trigger enqueues a reminder or a message for an agent every N model calls \
            (--every-steps), every interval (--every 15m) or at times of day (--cron). Triggers \
            are recorded in the agent's log, with each one's next fire time, so a restart \
            neither loses nor repeats a fire. Step triggers fire inside the agent's turns; \
            timed triggers fire while 'kode serve' runs for the store, whether anyone is \
            attached or not. A host that was down over several fire times fires once when it \
            starts.
            """,
        subcommands: [ScheduleAddCommand.self, ScheduleListCommand.self, ScheduleRemoveCommand.self]
    )
}

/// Opens `agentId` through the client API, runs `body` on it, and lets it go.
enum ScheduleAccess {
    static func withAgent<T>(_ agentId: String, _ storeOptions: StoreOptions, _ body: (any AgentHandle, Bool) async throws -> T) async throws -> T {
        let access = try await StoreAccess.connect(storeOptions, models: .none)
        return try await access.withAgent(agentId, failure: failure) { try await body($0, access.hosted) }
    }

    /// A bad schedule is the person's mistake (usage); the rest as the client reports it.
    private static func failure(_ error: any Error) -> CLIError {
        if let error = error as? ScheduleError { return .usage(error.description) }
        return ClientFailure.cliError(error)
    }

    /// One line per trigger: id, name, schedule, action, next fire or step count, fires so far.
    static func line(_ trigger: ScheduledTrigger, modelSteps: Int? = nil) -> String {
        var when = ""
        if let next = trigger.nextFire {
            when = "next \(ISO8601.format(next))"
        } else if case .everySteps(let every) = trigger.spec.schedule, let modelSteps {
            when = "next after \(max(0, every - (modelSteps - trigger.anchorStep))) more model call(s)"
        }
        let name = trigger.spec.name.map { " \($0)" } ?? ""
        let text = TerminalText.safe(String(trigger.spec.action.text.prefix(60)), keepNewlines: false)
        return "\(trigger.id)\(TerminalText.safe(name, keepNewlines: false))  \(trigger.spec.schedule.summary)  \(trigger.spec.action.kind): \(text)  \(when)  fired \(trigger.fires)x"
    }
}
