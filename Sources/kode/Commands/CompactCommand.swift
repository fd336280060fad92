import ArgumentParser
import Foundation
import KodeKernel

/// `kode compact ID [--instructions TEXT] [--json]`.
struct CompactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Summarise an agent's older conversation now (a compaction).",
        discussion: """
            The model writes a summary of the older messages; from then on it is sent the summary \
            and the recent messages. The log keeps every message, and the points just before and \
            just after the compaction are safe fork points. Refused while a turn runs.
            """
    )

    @Argument(help: "The agent id.") var agentId: String
    @Option(help: ArgumentHelp("What the summary should keep or stress.", valueName: "text")) var instructions: String?
    @Flag(help: "Print the compaction record as JSON.") var json = false
    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        let access = try await StoreAccess.connect(storeOptions)
        let compaction = try await access.withAgent(agentId, failure: Self.failure) { agent in
            try await agent.compact(instructions: instructions)
            return try await agent.state().compaction
        }
        guard let compaction else { throw CLIError.runtime("the compaction was not recorded") }
        if json {
            try JSONOutput.print(compaction)
        } else {
            let ratio = compaction.tokensBefore > 0 ? Double(compaction.tokensAfter) / Double(compaction.tokensBefore) : 1
            Output.stdout("compacted \(compaction.replacedMessages) messages into a \(compaction.summaryBytes)-byte summary: ~\(compaction.tokensBefore) → ~\(compaction.tokensAfter) tokens (\(String(format: "%.2f", ratio)))\n")
        }
    }

    /// Nothing to compact is the person's mistake (usage); the rest as the client reports it.
    private static func failure(_ error: any Error) -> CLIError {
        if case AgentError.nothingToCompact = error { return .usage("\(error)") }
        return ClientFailure.cliError(error)
    }
}
