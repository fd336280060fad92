import ArgumentParser
import Foundation
import KodeKernel

/// `kode export ID [--json]`.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Print an agent's conversation.")

    @Argument(help: "The agent id.") var agentId: String
    @Flag(help: "Print {\"messages\":[{\"role\",\"content\":[…]}]}.") var json = false
    @OptionGroup var storeOptions: StoreOptions

    struct Exported: Encodable {
        struct Entry: Encodable {
            var role: Role
            var content: [ContentBlock]
        }
        var messages: [Entry]
    }

    func run() async throws {
        let store = try await storeOptions.openAnyStore()
        let (_, state) = try await StoredAgent.state(agentId, store: store)
        if json {
            try JSONOutput.print(Exported(messages: state.messages.map { .init(role: $0.role, content: $0.content) }))
            return
        }
        for message in state.messages {
            Output.stdout("## \(message.role.rawValue)\n")
            for block in message.content {
                switch block {
                case .text(let text): Output.stdout(TerminalText.safe(text) + "\n")
                case .thinking(let text, _) where !text.isEmpty: Output.stdout("[thinking] " + TerminalText.safe(text) + "\n")
                case .thinking: break  // only redacted reasoning, kept in the signature for the API
                case .toolUse(let id, let name, let input):
                    Output.stdout("▶ \(name) \(TerminalText.safe(input.compactText)) (\(id))\n")
                case .toolResult(let id, let content, let isError):
                    Output.stdout("◀ \(id)\(isError ? " (error)" : ""):\n" + TerminalText.safe(content) + "\n")
                }
            }
            Output.stdout("\n")
        }
    }
}
