import ArgumentParser
import Foundation
import KodeKernel

/// `kode rename ID TITLE…` (or `--clear`): the agent's title, durable in its log.
struct RenameCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rename",
        abstract: "Give an agent a title (shown by 'kode agents' and the app's agents view).",
        discussion: """
            The title is recorded in the agent's log (agent_renamed), so every terminal attached \
            to it and every listing shows it. Without one an agent is named by its first prompt; \
            --clear goes back to that. A title is one line of at most 120 characters.
            """
    )

    @Argument(help: "The agent id.") var agentId: String
    @Argument(help: "The title (its words are joined with spaces).") var words: [String] = []
    @Flag(help: "Remove the title: the first prompt names the agent again.") var clear = false
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        if clear && !words.isEmpty { throw ValidationError("give a title or --clear, not both") }
        if !clear && words.joined().trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("missing the title (or --clear to remove it)")
        }
    }

    func run() async throws {
        let title = clear ? "" : words.joined(separator: " ")
        do {
            _ = try AgentTitle.validate(title)
        } catch {
            throw CLIError.usage("\(error)")
        }
        let access = try await StoreAccess.connect(storeOptions, models: .none)
        let stored = try await access.withAgent(agentId) { try await $0.rename(to: title, by: "cli") }
        if let stored {
            Output.stdout("renamed \(agentId) \"\(TerminalText.safe(stored, keepNewlines: false))\"\n")
        } else {
            Output.stdout("removed the title of \(agentId): its first prompt names it\n")
        }
    }
}
