import ArgumentParser
import Foundation
import KodeKernel

/// `kode room join NAME MEMBER [--agent ID | agent options]`.
struct RoomJoinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join",
        abstract: "Add a member to a room: a new agent (from the agent options) or a stored one.",
        discussion: """
            The member receives the messages posted after it joined. Without --agent a new agent \
            is created from the same options as 'kode run' (--provider, --model, --script, \
            --system, --permission, …); its id is printed on stderr ("agent: ID").
            """
    )

    @Argument(help: "The room's name.") var name: String
    @Argument(help: "The member's name, as others mention it (@name).") var member: String
    @Option(help: ArgumentHelp("Join a stored agent instead of creating one.", valueName: "id")) var agent: String?
    @OptionGroup var agentOptions: AgentOptions
    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        let (store, rooms) = try await RoomSession.stores(storeOptions)
        let environment = ProcessInfo.processInfo.environment
        let wiring = try await RoomAgentWiring.make()
        let directory = RoomDirectory()
        let room = try await RoomSession.openRoom(name, in: rooms, directory: directory)
        // Refused before anything is made: a new agent for a name the room has, or a bad name,
        // would be left behind with no room.
        do {
            try await room.checkJoinable(member)
        } catch {
            await room.close()
            throw RoomPrinter.cliError(error)
        }
        let opened: Agent
        do {
            if let agent {
                opened = try await wiring.open(agent, store: store, directory: directory)
            } else {
                let (config, notice) = try agentOptions.newConfig(environment: environment, configuration: agentOptions.configuration(environment: environment))
                if let notice { Output.stderr("note: \(notice)\n") }
                opened = try await wiring.create(config, store: store, directory: directory)
            }
        } catch {
            await room.close()
            throw ClientFailure.cliError(error)
        }
        do {
            try await room.join(member, agent: opened)
        } catch {
            await room.close()
            await opened.close()
            // An agent made for this join goes with it.
            if agent == nil { try? await store.delete(opened.id) }
            throw RoomPrinter.cliError(error)
        }
        Output.stderr("agent: \(opened.id)\n")
        await room.close()
        await opened.close()
        Output.stdout("@\(member) joined room \(name) (agent \(opened.id))\n")
    }
}
