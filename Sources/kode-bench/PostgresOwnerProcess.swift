import ArgumentParser
import Foundation
import KodeKernel
import KodePostgres

/// `kode-bench postgres-owner`: a process that owns one agent and appends to it until it loses
/// ownership. The fencing test stops it with SIGSTOP and the takeover benchmark kills it; both
/// need the owner in a process of its own.
///
/// Prints `owned <id> epoch <n> last <seq>`, then `appended <seq>` per durable record, and on
/// losing ownership `lost ownership: <reason>` and exits with status 3.
struct PostgresOwnerProcess: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postgres-owner",
        abstract: "Own one agent in a PostgreSQL store and append to it (for tests and the takeover benchmark).",
        shouldDisplay: false
    )

    @Option(help: "The store's postgres:// URL.") var url: String
    @Option(help: "The agent to own.") var agent: String
    @Option(help: "Milliseconds between appends (0: only the first).") var every: Int = 20
    @Option(help: "Lease in milliseconds: another owner may take over after this long without renewal.") var leaseMs: Int = 1500
    @Flag(help: "Take the agent over from a stale owner.") var takeOver = false

    func run() async throws {
        let store = try await PostgresStore.open(try PostgresURL(url), staleAfter: .milliseconds(leaseMs))
        let writer = takeOver ? try await store.takeOver(agent) : try await store.openLogWriter(agent)
        let start = try await store.records(of: agent, after: 0).last?.seq ?? 0
        say("owned \(agent) epoch \(writer.epoch) last \(start)")
        var seq = start
        while true {
            seq += 1
            let record = LogRecord(seq: seq, timestamp: Date(), body: .inputQueued(QueuedInput(id: "owner-\(getpid())-\(seq)", text: "from pid \(getpid())")))
            do {
                try await writer.append([record], durability: .durable)
            } catch StoreError.readOnly(_, let reason) where reason.hasPrefix("lost ownership") {
                say(reason)
                throw ExitCode(3)
            }
            say("appended \(seq)")
            if every == 0 { break }
            try await Task.sleep(for: .milliseconds(every))
        }
        try await writer.close()
        await store.shutdown()
    }

    private func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
