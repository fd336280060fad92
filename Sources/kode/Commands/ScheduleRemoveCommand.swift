import ArgumentParser
import Foundation
import KodeKernel

/// `kode schedule remove ID TRIGGER`.
struct ScheduleRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove one of an agent's triggers.",
        discussion: "TRIGGER is the id 'kode schedule list' shows or the trigger's --name. The removal is durable; a reminder the trigger already enqueued is still delivered."
    )

    @Argument(help: "The agent id.") var agentId: String
    @Argument(help: "The trigger's id or name.") var trigger: String
    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        let removed = try await ScheduleAccess.withAgent(agentId, storeOptions) { agent, _ in
            try await agent.removeTrigger(trigger, by: "cli")
        }
        Output.stdout("removed \(removed.id)\(removed.spec.name.map { " (\(TerminalText.safe($0, keepNewlines: false)))" } ?? "")\n")
    }
}
