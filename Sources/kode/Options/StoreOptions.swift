import ArgumentParser
import Foundation
import KodeKernel
import KodePostgres

/// `--store DIR|URL`, shared by every command that reads or writes agents.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store: a directory, or a postgres:// URL (default: $KODE_STORE or ./.kode).", valueName: "dir|url"))
    var store: String?

    /// What `--store` or `$KODE_STORE` names, when it is a PostgreSQL URL.
    var postgresURL: String? {
        let location = store ?? ProcessInfo.processInfo.environment["KODE_STORE"]
        guard let location, PostgresURL.isPostgresURL(location) else { return nil }
        return location
    }

    /// The store as people should see it: a directory path, or the URL with its password masked.
    var displayName: String {
        if let url = postgresURL { return PostgresURL.redact(url) }
        return StoreAccess.root(self).path
    }

    /// Opens the file store. A PostgreSQL URL is refused with a message saying the command needs
    /// a directory store.
    func open() throws -> FileStore {
        if let url = postgresURL {
            throw CLIError.usage("this command works on a directory store, and \(PostgresURL.redact(url)) is a PostgreSQL store")
        }
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

    /// Opens whichever store `--store` names: the file store, or a PostgreSQL store (connected and
    /// migrated; an unreachable server is a clear error, never a hang).
    func openAnyStore() async throws -> any AgentStore {
        guard let text = postgresURL else { return try open() }
        let store = try await PostgresStoreOpener.open(text)
        try CommitFaultInjector.install(on: store, environment: ProcessInfo.processInfo.environment)
        return store
    }
}

/// Opens PostgreSQL stores for the CLI, with the error texts a person needs.
enum PostgresStoreOpener {
    static func open(_ text: String) async throws -> PostgresStore {
        let url: PostgresURL
        do {
            url = try PostgresURL(text)
        } catch {
            throw CLIError.usage("\(error)")
        }
        do {
            return try await PostgresStore.open(url)
        } catch {
            // A StoreError already names the store (password masked).
            throw CLIError.runtime(error is StoreError ? "cannot open the PostgreSQL store \(error)" : "cannot open the PostgreSQL store \(url): \(error)")
        }
    }
}
