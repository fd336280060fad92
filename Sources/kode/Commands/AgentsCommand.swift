import ArgumentParser
import Foundation
import KodeKernel

/// `kode agents [--json]`.
struct AgentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "agents", abstract: "List the agents in the store.")

    @Flag(help: "Print a JSON array.") var json = false
    @OptionGroup var storeOptions: StoreOptions

    struct Row: Encodable {
        var id: String
        var created: Date
        var state: String
        var breakpoint: String
        var messages: Int
        var parent: ParentRef?
        /// How its commands are confined: the mode, `+net`, or `unconfined` where it cannot be enforced.
        var sandbox: String = ""
        /// For a sub-agent: the agent and `task_run` call that spawned it (absent otherwise).
        var spawnedBy: SpawnRef?
        /// The title a person gave it, else its first prompt (`AgentTitle`); nil before any prompt.
        var title: String?

        enum CodingKeys: String, CodingKey { case id, created, state, breakpoint, messages, parent, sandbox, spawnedBy, title }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(created, forKey: .created)
            try c.encode(state, forKey: .state)
            try c.encode(breakpoint, forKey: .breakpoint)
            try c.encode(messages, forKey: .messages)
            if let parent { try c.encode(parent, forKey: .parent) } else { try c.encodeNil(forKey: .parent) }
            try c.encode(sandbox, forKey: .sandbox)
            try c.encodeIfPresent(spawnedBy, forKey: .spawnedBy)
            if let title { try c.encode(title, forKey: .title) } else { try c.encodeNil(forKey: .title) }
        }
    }

    func run() async throws {
        let access = try await StoreAccess.connect(storeOptions, models: .none)
        let listing: [AgentListing]
        do {
            listing = try await access.hub.list()
        } catch {
            throw ClientFailure.cliError(error)
        }
        var rows: [Row] = []
        for entry in listing.sorted(by: { $0.manifest.created < $1.manifest.created }) {
            let manifest = entry.manifest
            // Filled in on whichever row the branches below append.
            defer {
                rows[rows.count - 1].sandbox = Self.sandboxLabel(manifest.config.sandbox, live: entry.live?.sandbox)
                rows[rows.count - 1].spawnedBy = manifest.spawnedBy
            }
            if let live = entry.live {
                // Open in a host: its own view is the newest (events may still be buffered).
                rows.append(Row(id: manifest.id, created: manifest.created, state: live.runtimeState.rawValue,
                                breakpoint: live.breakpoint.rawValue, messages: live.messageCount, parent: manifest.parent,
                                title: live.title))
                continue
            }
            do {
                let state = try await access.hub.state(of: manifest.id, at: nil).state
                rows.append(Row(id: manifest.id, created: manifest.created, state: state.runtimeState.rawValue,
                                breakpoint: state.breakpoint.rawValue, messages: state.messages.count, parent: manifest.parent,
                                title: AgentTitle.of(state)))
            } catch {
                rows.append(Row(id: manifest.id, created: manifest.created, state: "UNREADABLE", breakpoint: "\(error)", messages: 0, parent: manifest.parent))
            }
        }
        if json {
            try JSONOutput.print(rows)
            return
        }
        if rows.isEmpty {
            Output.stdout("no agents in the store\n")
            return
        }
        Output.stdout("ID                    CREATED                   STATE    BREAKPOINT         MSGS  SANDBOX              PARENT                             TITLE\n")
        for row in rows {
            let parent = row.parent.map { "\($0.agentId)@\($0.seq)" } ?? row.spawnedBy.map { "sub-agent of \($0.agentId)" } ?? "-"
            let title = row.title.map { TerminalText.safe($0, keepNewlines: false) } ?? "-"
            Output.stdout("\(pad(row.id, 21)) \(pad(ISO8601.format(row.created), 25)) \(pad(row.state, 8)) \(pad(row.breakpoint, 18)) \(pad(String(row.messages), 5)) \(pad(row.sandbox, 20)) \(pad(parent, 34)) \(title)\n")
        }
    }

    /// A live agent's own view (its host probed the machine); otherwise what this machine would enforce.
    private static func sandboxLabel(_ config: SandboxConfig, live: CommandConfinement?) -> String {
        if let live { return live.label }
        return CommandConfinement.expected(for: config, support: ConfinementSupport.probe(config)).label
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
