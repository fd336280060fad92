import ArgumentParser
import Foundation
import KodeKernel

/// `kode schedule list ID [--json]`.
struct ScheduleListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List an agent's triggers with their next fire times.",
        discussion: "Read from the agent's log; the agent is not opened for writing, so this works while a host or another process runs it."
    )

    @Argument(help: "The agent id.") var agentId: String
    @Flag(help: "Print the triggers as a JSON array.") var json = false
    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        let access = try await StoreAccess.connect(storeOptions, models: .none)
        let schedule: ScheduleState
        do {
            schedule = try await access.hub.state(of: agentId, at: nil).state.schedule
        } catch {
            throw ClientFailure.cliError(error)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            Output.stdout(String(decoding: try encoder.encode(schedule.triggers), as: UTF8.self) + "\n")
            return
        }
        if schedule.triggers.isEmpty {
            Output.stdout("no triggers (add one with 'kode schedule add \(agentId) …')\n")
            return
        }
        for trigger in schedule.triggers {
            Output.stdout(ScheduleAccess.line(trigger, modelSteps: schedule.modelSteps) + "\n")
        }
        if !schedule.pendingReminders.isEmpty {
            Output.stdout("\(schedule.pendingReminders.count) reminder(s) waiting for the next model call\n")
        }
    }
}
