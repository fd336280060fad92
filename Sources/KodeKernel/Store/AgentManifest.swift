import Foundation

/// Written once when an agent is created (atomically, for the file store).
public struct AgentManifest: Sendable, Hashable, Codable {
    /// The record format version the agent was created with.
    public var formatVersion: Int
    public var id: AgentID
    public var created: Date
    public var config: AgentConfig
    /// For a fork: the parent and the parent's seq the child branches at.
    public var parent: ParentRef?
    /// For a sub-agent: the agent and `task_run` call that spawned it (not a fork: no shared history).
    public var spawnedBy: SpawnRef?

    /// The format version this build writes.
    public static let currentFormatVersion = 1

    public init(id: AgentID, created: Date = Date(), config: AgentConfig, parent: ParentRef? = nil, spawnedBy: SpawnRef? = nil, formatVersion: Int = AgentManifest.currentFormatVersion) {
        self.formatVersion = formatVersion
        self.id = id
        self.created = created
        self.config = config
        self.parent = parent
        self.spawnedBy = spawnedBy
    }

    /// A fresh random agent id.
    public static func newID() -> AgentID { "agt_" + ShortID.make() }
}
