import ArgumentParser
import Foundation
import KodeKernel

/// `kode store check [--repair]`, `kode store gc`.
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Maintain the store.",
        subcommands: [Check.self, StoreGCCommand.self, StoreCopyCommand.self]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Verify every record's checksum in every agent.",
            discussion: "Exit status 0 when the store is sound, 1 when something is torn or corrupt. --repair only cuts torn tails; it never drops committed records."
        )

        @Flag(help: "Cut torn tails back to the last good record.") var repair = false
        @OptionGroup var storeOptions: StoreOptions

        func run() async throws {
            let store = try storeOptions.open()
            let report: StoreCheckReport
            do {
                report = try store.check(repair: repair)
            } catch {
                throw CLIError.runtime("\(error)")
            }
            var problems = 0
            for agent in report.agents {
                var line = "\(agent.id): \(agent.records) records, \(agent.bytes) bytes in \(agent.segments) segment(s), last seq \(agent.lastSeq), \(agent.snapshots) snapshot(s)"
                if let error = agent.error {
                    line += "\n  CORRUPT: \(error)"
                    problems += 1
                }
                for bad in agent.badSnapshots {
                    line += "\n  bad snapshot (ignored on open): \(bad)"
                    problems += 1
                }
                if let torn = agent.tornTail {
                    line += "\n  torn tail in \(torn.file) at offset \(torn.offset): \(torn.detail) — " + (torn.cut ? "cut back to the last good record" : "not cut (run with --repair\(agent.note.map { "; \($0)" } ?? ""))")
                    if !torn.cut { problems += 1 }
                }
                Output.stdout(line + "\n")
            }
            Output.stdout(problems == 0 ? "store is sound (\(report.agents.count) agent(s))\n" : "\(problems) problem(s) found\n")
            if problems > 0 { throw ExitCode(1) }
        }
    }
}
