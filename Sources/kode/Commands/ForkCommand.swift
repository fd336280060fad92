import ArgumentParser
import Foundation
import KodeKernel

/// `kode fork ID --at CHECKPOINT [--json]`.
struct ForkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fork",
        abstract: "Create a child agent from a safe fork point (constant time: nothing is copied)."
    )

    @Argument(help: "The parent agent id.") var agentId: String
    @Option(help: ArgumentHelp("Checkpoint id, label, or 'latest'.", valueName: "checkpoint")) var at: String
    @Flag(help: "Print {\"id\",\"parent\":{\"agentId\",\"seq\"}}.") var json = false
    @OptionGroup var storeOptions: StoreOptions

    struct Result: Encodable {
        var id: String
        var parent: ParentRef
    }

    func run() async throws {
        let store = try storeOptions.open()
        let child: AgentID
        do {
            child = try await Agent.fork(agentId, at: at, store: store)
        } catch let error as AgentError {
            throw CLIError.usage(error.description)
        } catch let error as StoreError {
            if case .notFound = error { throw CLIError.usage(error.description) }
            throw CLIError.runtime(error.description)
        }
        let manifest = try await store.manifest(of: child)
        if json, let parent = manifest.parent {
            try JSONOutput.print(Result(id: child, parent: parent))
        } else {
            Output.stdout("\(child)\n")
        }
    }
}
