import ArgumentParser
import Foundation
import KodeKernel

/// `kode store gc [--grace SECONDS]`.
struct StoreGCCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Remove workspace blobs that no agent's snapshot references.",
        discussion: "Safe while agents run: a blob newer than the grace period is kept even when nothing references it yet. Blobs of removed agents go once no other agent shares them."
    )

    @Option(help: ArgumentHelp("Keep unreferenced blobs younger than this many seconds.", valueName: "seconds")) var grace: Int = 600
    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        guard grace >= 0 else { throw CLIError.usage("--grace must be 0 or more seconds") }
        let store = try storeOptions.open()
        let report: BlobCollector.Report
        do {
            report = try await BlobCollector(store: store, grace: .seconds(grace)).collect()
        } catch {
            throw CLIError.runtime("gc stopped, nothing more removed: \(error)")
        }
        Output.stdout("\(report.agents) agent(s), \(report.snapshots) snapshot(s), \(report.referenced) blob(s) referenced\n")
        Output.stdout("removed \(report.removed) blob(s), \(report.bytesRemoved) bytes; kept \(report.kept); \(report.tooNew) unreferenced but newer than \(grace) s\n")
    }
}
