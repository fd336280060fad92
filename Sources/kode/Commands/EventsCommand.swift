import ArgumentParser
import Foundation
import KodeHost
import KodeKernel

/// `kode events ID [--since SEQ] [--kinds a,b] [--follow] [--json]`.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Print an agent's stored events; --follow tails a running agent from another process."
    )

    @Argument(help: "The agent id.") var agentId: String
    @Option(help: ArgumentHelp("Only events after this seq.", valueName: "seq")) var since: UInt64 = 0
    @Option(help: ArgumentHelp("Comma-separated event types, e.g. tool:end,done.", valueName: "types")) var kinds: String?
    @Flag(help: "Keep printing new events as they are stored (Ctrl+C stops).") var follow = false
    @Flag(help: "One JSON object per envelope, as 'kode run --json' prints.") var json = false
    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        var filter = EventFilter()
        if let kinds {
            var set = Set<EventType>()
            for name in kinds.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
                guard let type = EventType(rawValue: name) else {
                    throw CLIError.usage("unknown event type '\(name)' (known: \(EventType.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                set.insert(type)
            }
            filter.kinds = set
        }
        let printer = TranscriptPrinter(json: json, listing: true, showUnrendered: kinds != nil)
        if follow, let remote = try await HostProbe.reach(HostPaths(storeRoot: StoreAccess.root(storeOptions).standardizedFileURL)) {
            try await followHosted(remote, filter: filter, printer: printer)
            return
        }
        let store = try await storeOptions.openAnyStore()
        var after = since
        while true {
            let records: [LogRecord]
            do {
                records = try await store.records(of: agentId, after: after)
            } catch let error as StoreError {
                if case .notFound = error { throw CLIError.usage(error.description) }
                throw CLIError.runtime(error.description)
            }
            for record in records {
                after = max(after, record.seq)
                if let envelope = record.envelope(agentId: agentId), filter.matches(envelope.event) {
                    printer.print(envelope)
                }
            }
            if !follow { return }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Follows through the host: stored events after `--since` first, then live ones as the
    /// host publishes them, with no polling and no gap.
    private func followHosted(_ hub: RemoteAgentHub, filter: EventFilter, printer: TranscriptPrinter) async throws {
        let events: AgentEvents
        do {
            let agent = try await hub.open(agentId, options: OpenOptions())
            events = try await agent.subscribe(channels: filter.channels, since: Bookmark(seq: since, timestamp: Date()), kinds: filter.kinds)
        } catch {
            throw ClientFailure.cliError(error)
        }
        for await envelope in events {
            printer.print(envelope)
        }
    }
}
