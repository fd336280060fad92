import ArgumentParser
import Foundation
import KodeKernel

/// `kode checkpoints ID [--json]`, and `--label` to name the newest one.
struct CheckpointsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoints",
        abstract: "List an agent's safe fork points, oldest first.",
        discussion: "Every accepted user message and every completed tool-result batch is a safe fork point."
    )

    @Argument(help: "The agent id.") var agentId: String
    @Flag(help: "Print a JSON array of {id, seq, label, time, preview}.") var json = false
    @Option(help: ArgumentHelp("Name the newest safe fork point.", valueName: "text")) var label: String?
    @OptionGroup var storeOptions: StoreOptions

    struct Row: Encodable {
        var id: String
        var seq: UInt64
        var label: String?
        var time: Date
        var preview: String

        enum CodingKeys: String, CodingKey { case id, seq, label, time, preview }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(seq, forKey: .seq)
            if let label { try c.encode(label, forKey: .label) } else { try c.encodeNil(forKey: .label) }
            try c.encode(time, forKey: .time)
            try c.encode(preview, forKey: .preview)
        }
    }

    func run() async throws {
        let access = try await StoreAccess.connect(storeOptions, models: .none)
        if let label {
            let checkpoint = try await access.withAgent(agentId, failure: { .runtime("\($0)") }) { try await $0.checkpoint(label: label) }
            Output.stdout("labelled \(checkpoint.id) \"\(TerminalText.safe(label, keepNewlines: false))\"\n")
            return
        }
        let state: AgentState
        do {
            state = try await access.hub.state(of: agentId, at: nil).state
        } catch {
            throw ClientFailure.cliError(error)
        }
        let rows = state.checkpoints.map { Row(id: $0.id, seq: $0.seq, label: $0.label, time: $0.time, preview: $0.preview) }
        if json {
            try JSONOutput.print(rows)
            return
        }
        for row in rows {
            let label = row.label.map { " [\(TerminalText.safe($0, keepNewlines: false))]" } ?? ""
            Output.stdout("\(row.id)\(label)  \(ISO8601.format(row.time))  \(TerminalText.safe(row.preview, keepNewlines: false))\n")
        }
    }
}
