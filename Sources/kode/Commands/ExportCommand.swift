import ArgumentParser
import Foundation
import KodeKernel

/// `kode export ID [--json]`.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Print an agent's conversation.")

    @Argument(help: "The agent id.") var agentId: String
    @Flag(help: "Print {\"messages\":[{\"content\":[…],\"role\"}]}, one message per line.") var json = false
    @OptionGroup var storeOptions: StoreOptions

    /// How much JSON is gathered before it is written out.
    static let flushSize = 64 * 1024

    /// Writes straight from the buffer (no `Data` copy of it), retrying short writes.
    static func writeToStandardOutput(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw CLIError.runtime("cannot write the export to standard output: \(String(cString: strerror(errno)))")
                }
                offset += written
            }
        }
    }

    func run() async throws {
        let store = try await storeOptions.openAnyStore()
        if json {
            // Written by hand, not through JSONEncoder, and from the snapshot's bytes: the
            // per-message cost is the point (docs/PERFORMANCE.md).
            var bytes: [UInt8] = []
            bytes.reserveCapacity(Self.flushSize + 64 * 1024)
            try await StoredAgent.reading(agentId, store: store) { history in
                try AgentState.writeConversationJSON(of: history, into: &bytes, flushingAt: Self.flushSize) { buffer in
                    try Self.writeToStandardOutput(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            return
        }
        let messages = try await StoredAgent.conversation(agentId, store: store)
        for message in messages {
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
