import ArgumentParser
import Foundation
import KodeKernel

/// `kode room run NAME`.
struct RoomRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Resume a room: deliver what members missed, continue cut turns, run until quiet.",
        discussion: """
            After a crash or a stop, each member's log is compared with the room's: messages a \
            member did not receive yet are delivered (none twice), and a member whose turn was \
            cut continues it (per the recovery table: a tool that was running is sealed, never \
            re-run). Prints every room message posted meanwhile.
            """
    )

    @Argument(help: "The room's name.") var name: String
    @Option(help: ArgumentHelp("Answer the members' approval requests: allow or deny.", valueName: "allow|deny"))
    var approve: RoomApproval = .deny
    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        let posted = try await RoomSession.acting(on: name, options: storeOptions, approve: approve) { session in
            // A cut turn, or input a crash left queued before its turn began (a delivered room
            // message whose turn never started), is continued here: this command is the explicit
            // "continue" of the recovery table.
            for agent in session.agents.values {
                let status = await agent.status()
                if status.turnInterrupted || (status.runtimeState == .ready && !status.queuedInputs.isEmpty) {
                    try? await agent.continueTurn()
                }
            }
        }
        RoomPrinter.print(posted)
        if posted.isEmpty { Output.stderr("room \(name) is quiet: nothing to deliver or continue\n") }
    }
}
