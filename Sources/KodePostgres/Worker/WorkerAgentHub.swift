import Foundation
import KodeKernel
import Logging

/// The client API of a PostgreSQL store shared by several processes (docs/POSTGRES.md): an
/// agent this process owns, or can take because nobody does, is served by the local hub as
/// always; an agent another worker owns gets an ``InboxAgentHandle``, whose commands go through
/// the inbox and whose events come from the stored records. What `kode serve` serves on a
/// database, and what a CLI command given only the database URL uses.
public final class WorkerAgentHub: AgentHub {
    let local: LocalAgentHub
    let store: PostgresStore
    let worker: PostgresWorker?
    let wakeUps: WakeUps
    let patience: Duration

    /// - Parameters:
    ///   - worker: the worker of this process, if it runs one (`kode serve`); a CLI command has none.
    ///   - patience: how long a command through the inbox waits for its owner's outcome.
    public init(local: LocalAgentHub, store: PostgresStore, worker: PostgresWorker?, patience: Duration = .seconds(30), logger: Logger = Logger(label: "kode.postgres")) {
        self.local = local
        self.store = store
        self.worker = worker
        self.wakeUps = worker?.wakeUps ?? WakeUps(store: store, logger: logger)
        self.patience = patience
    }

    public func list() async throws -> [AgentListing] { try await local.list() }
    public func manifest(of id: AgentID) async throws -> AgentManifest { try await local.manifest(of: id) }

    public func create(_ config: AgentConfig) async throws -> any AgentHandle {
        let handle = try await local.create(config)
        // The worker takes an attachment of its own, so the agent stays owned here after the
        // client lets go, as agents a worker took over do.
        if let worker { _ = try await worker.claim(handle.id) }
        return handle
    }

    public func open(_ id: AgentID, options: OpenOptions) async throws -> any AgentHandle {
        if let worker {
            if try await worker.claim(id) { return try await local.open(id, options: options) }
        } else {
            do {
                return try await local.open(id, options: options)
            } catch StoreError.locked {
                // Owned by a worker: through the inbox.
            }
        }
        let manifest = try await store.manifest(of: id)
        let handle = InboxAgentHandle(manifest: manifest, store: store, wakeUps: wakeUps, patience: patience) { [worker] in worker?.wake() }
        if options.continueTurn, try await handle.status().turnInterrupted { try await handle.continueTurn() }
        return handle
    }

    public func remove(_ id: AgentID) async throws {
        // The worker's own attachment must not make the agent look in use.
        let held = await worker?.letGo(id) ?? false
        do {
            try await local.remove(id)
        } catch {
            if held, let worker { _ = try? await worker.claim(id) }
            throw error
        }
    }
    public func fork(_ id: AgentID, at checkpoint: String) async throws -> AgentID { try await local.fork(id, at: checkpoint) }
    public func state(of id: AgentID, at seq: UInt64?) async throws -> AgentView { try await local.state(of: id, at: seq) }
}
