import ArgumentParser
import Foundation
import KodeKernel

/// `--store DIR`, shared by every command that reads or writes agents.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store directory (default: $KODE_STORE or ./.kode).", valueName: "dir"))
    var store: String?

    /// Opens the file store.
    func open() throws -> FileStore {
        let root = store.map { URL(fileURLWithPath: $0) } ?? FileStore.defaultRoot(environment: ProcessInfo.processInfo.environment)
        let environment = ProcessInfo.processInfo.environment
        let io = try SyncFaultInjector.wrap(PosixFileIO(), environment: environment)
        do {
            let store = try FileStore(root: root, io: io)
            if self.store == nil && environment["KODE_STORE"].map(\.isEmpty) ?? true { StoreGitIgnore.ensure(root: root) }
            return store
        } catch {
            throw CLIError.usage("cannot open the store at \(root.path): \(error)")
        }
    }
}
