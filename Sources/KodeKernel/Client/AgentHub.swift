import Foundation

/// A place where agents live, as every front end sees it (DESIGN §9): the terminal app and each
/// CLI command talk to this and to ``AgentHandle`` only, so they cannot tell an agent embedded in
/// their own process (``LocalAgentHub``) from one run by a host process over a socket.
public protocol AgentHub: Sendable {
    /// Every agent of the store, newest first is not promised: callers sort.
    func list() async throws -> [AgentListing]
    /// One agent's manifest, without opening it.
    func manifest(of id: AgentID) async throws -> AgentManifest
    /// Creates an agent and opens it.
    func create(_ config: AgentConfig) async throws -> any AgentHandle
    /// Opens a stored agent (recovering it per the recovery table if nobody has it open).
    func open(_ id: AgentID, options: OpenOptions) async throws -> any AgentHandle
    /// Deletes an agent. Refused while it has forks or while it is open elsewhere.
    func remove(_ id: AgentID) async throws
    /// A child agent from a safe fork point of `id` (`"latest"` for the newest), without opening it.
    func fork(_ id: AgentID, at checkpoint: String) async throws -> AgentID
    /// An agent's manifest and folded state, read without taking it over. With `seq`, the state
    /// as it was right after that record (for previews of a checkpoint).
    func state(of id: AgentID, at seq: UInt64?) async throws -> AgentView
}

/// How to open an agent.
public struct OpenOptions: Sendable, Hashable, Codable {
    /// A provider to use instead of the stored one while this process runs it (flags such as
    /// `--provider`). Ignored when the agent is already running in a host.
    public var provider: ProviderConfig?
    /// Continue an interrupted turn right after opening (as a handover from a detaching app does).
    public var continueTurn: Bool

    public init(provider: ProviderConfig? = nil, continueTurn: Bool = false) {
        self.provider = provider
        self.continueTurn = continueTurn
    }
}

/// One agent in a listing.
public struct AgentListing: Sendable, Hashable, Codable {
    public var manifest: AgentManifest
    /// Present when the agent is open in the hub answering (a host lists what it runs).
    public var live: AgentStatus?

    public init(manifest: AgentManifest, live: AgentStatus? = nil) {
        self.manifest = manifest
        self.live = live
    }
}

/// An agent's manifest with its folded state.
public struct AgentView: Sendable, Hashable {
    public var manifest: AgentManifest
    public var state: AgentState

    public init(manifest: AgentManifest, state: AgentState) {
        self.manifest = manifest
        self.state = state
    }
}
