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
        let access = try await StoreAccess.connect(storeOptions, models: .none)
        let child: AgentID
        let manifest: AgentManifest
        do {
            child = try await access.hub.fork(agentId, at: at)
            manifest = try await access.hub.manifest(of: child)
        } catch let error as AgentError {
            throw CLIError.usage(error.description)
        } catch let ClientError.host(code, message) where code == "agent" {
            // A checkpoint that does not exist, reported by the host.
            throw CLIError.usage(message)
        } catch {
            throw ClientFailure.cliError(error)
        }
        if json, let parent = manifest.parent {
            try JSONOutput.print(Result(id: child, parent: parent))
        } else {
            Output.stdout("\(child)\n")
        }
    }
}
