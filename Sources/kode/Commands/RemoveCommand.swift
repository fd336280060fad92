import ArgumentParser
import KodeKernel

/// `kode rm ID`.
struct RemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Delete an agent. Refused while forks point at it (delete the children first)."
    )

    @Argument(help: "The agent id.") var agentId: String
    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        let access = try await StoreAccess.connect(storeOptions, models: .none)
        do {
            try await access.hub.remove(agentId)
        } catch {
            throw ClientFailure.cliError(error)
        }
        Output.stdout("deleted \(agentId)\n")
    }
}
