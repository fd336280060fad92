import ArgumentParser
import Foundation
import KodeKernel

/// `kode room show NAME [--json]`.
struct RoomShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a room's members and messages.",
        discussion: "Reads the room's log without opening it, so it works while the room runs elsewhere."
    )

    @Argument(help: "The room's name.") var name: String
    @Flag(help: "Print one JSON object: {name, members: [{name, agent, joinedAfter}], messages: [{seq, from, to, text, time}]}.")
    var json = false
    @OptionGroup var storeOptions: StoreOptions

    struct Shown: Encodable {
        var name: String
        var members: [RoomMember]
        var messages: [RoomMessage]
    }

    func run() async throws {
        let (_, rooms) = try await RoomSession.stores(storeOptions, runsAgents: false)
        let state: RoomState
        do {
            state = try RoomState.read(name, from: rooms)
        } catch {
            throw RoomPrinter.cliError(error)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.sortedKeys]
            let data = try encoder.encode(Shown(name: state.name, members: state.members, messages: state.messages))
            Output.stdout(String(decoding: data, as: UTF8.self) + "\n")
            return
        }
        Output.stdout("room \(state.name): \(state.members.count) member(s), \(state.messages.count) message(s)\n")
        for member in state.members {
            Output.stdout("  @\(member.name)  agent \(member.agent)  (joined after #\(member.joinedAfter))\n")
        }
        RoomPrinter.print(state.messages)
    }
}
