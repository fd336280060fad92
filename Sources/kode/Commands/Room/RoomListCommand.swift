import ArgumentParser
import Foundation
import KodeKernel

/// `kode room list`.
struct RoomListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the store's rooms with their members."
    )

    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        let (_, rooms) = try await RoomSession.stores(storeOptions, runsAgents: false)
        do {
            let names = try rooms.names()
            if names.isEmpty { Output.stderr("no rooms in this store (create one with 'kode room create NAME')\n") }
            for name in names {
                let state = try RoomState.read(name, from: rooms)
                let members = state.members.map { "@" + $0.name }.joined(separator: " ")
                Output.stdout("\(name)  \(state.messages.count) message(s)  \(members)\n")
            }
        } catch {
            throw RoomPrinter.cliError(error)
        }
    }
}
