import ArgumentParser
import Foundation
import KodeKernel

/// `kode store check [--repair]`.
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Maintain the store.",
        subcommands: [Check.self]
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
            let report = try store.check(repair: repair)
            Output.stdout(report.description + "\n")
            if !report.isHealthy(afterRepair: repair) { throw ExitCode(1) }
        }
    }
}
