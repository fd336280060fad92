import ArgumentParser
import Foundation
import KodeKernel

/// `kode room create NAME`.
struct RoomCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an empty room.",
        discussion: "Names are 1 to 40 letters, digits, '-' or '_'. Add members with 'kode room join'."
    )

    @Argument(help: "The room's name.") var name: String
    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        let (_, rooms) = try await RoomSession.stores(storeOptions, runsAgents: false)
        do {
            let room = try await Room.create(name, in: rooms)
            await room.close()
        } catch {
            throw RoomPrinter.cliError(error)
        }
        Output.stdout("room \(name) created\n")
    }
}
