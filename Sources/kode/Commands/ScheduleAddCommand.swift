import ArgumentParser
import Foundation
import KodeKernel

/// `kode schedule add ID (--every-steps N | --every 15m | --cron EXPR) (--remind TEXT | --message TEXT)`.
struct ScheduleAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a trigger that reminds or messages an agent on a schedule.",
        discussion: """
            Give one schedule and one action. --cron takes five fields, 'minute hour \
            day-of-month month day-of-week', each '*', a number, a range 'a-b', a step '*/n' \
            or 'a-b/n', or a comma list of those (numbers only; 0 and 7 are Sunday); times are \
            in --time-zone (default: this machine's). A reminder reaches the model with its \
            next model call; a message is queued input and starts a turn. Examples:
              kode schedule add ID --every-steps 5 --remind "Re-read the plan."
              kode schedule add ID --every 30m --message "Report progress."
              kode schedule add ID --cron "0 9 * * 1-5" --message "Summary." --name am
            """
    )

    @Argument(help: "The agent id.") var agentId: String
    @Option(name: .customLong("every-steps"), help: ArgumentHelp("Fire after every N model calls of the agent.", valueName: "n"))
    var everySteps: Int?
    @Option(help: ArgumentHelp("Fire every interval: a number with s, m, h or d (30s, 15m, 2h); a bare number is minutes.", valueName: "interval"))
    var every: String?
    @Option(help: ArgumentHelp("Fire at the times a five-field cron expression names.", valueName: "expression"))
    var cron: String?
    @Option(name: .customLong("time-zone"), help: ArgumentHelp("The time zone of --cron times (an IANA name such as Europe/Paris or UTC).", valueName: "zone"))
    var timeZone: String?
    @Option(help: ArgumentHelp("Send the model this reminder with its next call.", valueName: "text")) var remind: String?
    @Option(help: ArgumentHelp("Queue this message as input (starts a turn).", valueName: "text")) var message: String?
    @Option(help: ArgumentHelp("A name to list and remove the trigger by.", valueName: "name")) var name: String?
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        if [everySteps != nil, every != nil, cron != nil].filter({ $0 }).count != 1 {
            throw ValidationError("give exactly one of --every-steps, --every and --cron")
        }
        if (remind == nil) == (message == nil) { throw ValidationError("give exactly one of --remind and --message") }
        if timeZone != nil, cron == nil { throw ValidationError("--time-zone applies to --cron only") }
    }

    func run() async throws {
        let spec = try makeSpec()
        let (trigger, hosted) = try await ScheduleAccess.withAgent(agentId, storeOptions) { agent, hosted in
            (try await agent.addTrigger(spec, by: "cli"), hosted)
        }
        Output.stdout("added \(ScheduleAccess.line(trigger, modelSteps: trigger.anchorStep))\n")
        if spec.schedule.isTimed, !hosted {
            Output.stdout("note: timed triggers fire while 'kode serve' runs for this store; none runs now\n")
        }
    }

    private func makeSpec() throws -> TriggerSpec {
        let schedule: TriggerSchedule
        do {
            if let everySteps {
                schedule = .everySteps(everySteps)
            } else if let every {
                schedule = .every(seconds: try TriggerSchedule.interval(every))
            } else {
                let zone = timeZone ?? TimeZone.current.identifier
                schedule = .cron(try CronExpression(cron ?? ""), timeZone: zone)
            }
        } catch let error as CronError {
            throw CLIError.usage("--cron: \(error.description)")
        } catch let error as ScheduleError {
            throw CLIError.usage("--every: \(error.description)")
        }
        let action: TriggerAction = remind.map { .reminder($0) } ?? .message(message ?? "")
        return TriggerSpec(schedule: schedule, action: action, name: name)
    }
}
