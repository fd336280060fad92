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
        let store = try storeOptions.open()
        do {
            try await store.delete(agentId)
        } catch let error as StoreError {
            if case .notFound = error { throw CLIError.usage(error.description) }
            throw CLIError.runtime(error.description)
        }
        Output.stdout("deleted \(agentId)\n")
    }
}
