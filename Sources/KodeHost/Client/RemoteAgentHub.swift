import Foundation
import KodeKernel

/// The client API over a host's socket (DESIGN §9): what `kode` uses when a host runs for the
/// store. One connection is shared by everything this hub opens; when it drops, the next call
/// connects again, handles reopen their agents, and subscriptions resume from the last seq they
/// delivered, so nothing is missed or shown twice.
public final class RemoteAgentHub: AgentHub {
    /// The host's socket.
    public let socketPath: String
    let keeper: ConnectionKeeper

    /// A hub for the host listening at `socketPath`. Nothing is connected until the first call.
    public init(socketPath: String, clientName: String = "kode") {
        self.socketPath = socketPath
        self.keeper = ConnectionKeeper(socketPath: socketPath, clientName: clientName)
    }

    /// Connects now: a quick way to learn whether a host answers at all.
    public func connect() async throws {
        _ = try await keeper.client()
    }

    /// Closes the connection; the host lets go of what this client had open (agents keep running).
    public func disconnect() async {
        await keeper.drop()
    }

    public func list() async throws -> [AgentListing] {
        try await keeper.client().call(.list, Empty(), as: ListResult.self).agents
    }

    public func manifest(of id: AgentID) async throws -> AgentManifest {
        try await keeper.client().call(.manifest, AgentArgs(agent: id), as: ManifestResult.self).manifest
    }

    public func create(_ config: AgentConfig) async throws -> any AgentHandle {
        let client = try await keeper.client()
        let opened = try await client.call(.create, CreateArgs(config: config), as: OpenResult.self)
        return RemoteAgentHandle(manifest: opened.manifest, hub: self, bound: (client, opened.handle))
    }

    public func open(_ id: AgentID, options: OpenOptions) async throws -> any AgentHandle {
        let client = try await keeper.client()
        let opened = try await client.call(.open, OpenArgs(agent: id, options: options), as: OpenResult.self)
        return RemoteAgentHandle(manifest: opened.manifest, hub: self, bound: (client, opened.handle))
    }

    public func remove(_ id: AgentID) async throws {
        _ = try await keeper.client().call(.remove, AgentArgs(agent: id), as: Empty.self)
    }

    public func fork(_ id: AgentID, at checkpoint: String) async throws -> AgentID {
        try await keeper.client().call(.fork, ForkArgs(agent: id, at: checkpoint), as: ChildResult.self).child
    }

    public func state(of id: AgentID, at seq: UInt64?) async throws -> AgentView {
        let result = try await keeper.client().call(.state, StateArgs(agent: id, seq: seq), as: StateResult.self)
        guard let manifest = result.manifest else { throw ClientError.host(code: "bad_reply", message: "a state reply without a manifest") }
        return AgentView(manifest: manifest, state: try Self.decodeState(result.state))
    }

    /// What the host runs (for `kode serve --status`).
    package func hostStatus() async throws -> HostStatus {
        try await keeper.client().call(.hostStatus, Empty(), as: HostStatus.self)
    }

    /// Asks the host to stop gracefully.
    package func stopHost(grace: Duration?) async throws {
        let ms = grace.map { Int($0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000) }
        _ = try await keeper.client().call(.stop, StopArgs(graceMs: ms), as: Empty.self)
    }

    static func decodeState(_ base64: String) throws -> AgentState {
        guard let data = Data(base64Encoded: base64) else { throw ClientError.host(code: "bad_reply", message: "a state that is not base64") }
        return try StateWire.decode(Array(data))
    }
}

/// Holds the one live connection and makes a new one when it is gone.
actor ConnectionKeeper {
    let socketPath: String
    let clientName: String
    private var current: HostClient?

    init(socketPath: String, clientName: String) {
        self.socketPath = socketPath
        self.clientName = clientName
    }

    func client() async throws -> HostClient {
        if let current, current.isOpen { return current }
        let fresh = try await HostClient.connect(to: socketPath, client: clientName)
        current = fresh
        return fresh
    }

    func drop() {
        current?.close()
        current = nil
    }
}
