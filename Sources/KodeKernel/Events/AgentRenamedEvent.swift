/// `agent_renamed`: a person gave the agent a title (a front end's `/rename`, `kode rename`), or
/// took it away (`title` nil: the title is the first prompt again). Durable, folded into
/// ``AgentState/title``, so every client and listing shows the same name.
public struct AgentRenamedEvent: Sendable, Hashable, Codable {
    /// The title from now on, as given (checked by ``AgentTitle/validate(_:)``; untrusted text:
    /// front ends sanitize it before display). Nil: back to the automatic title.
    public var title: String?
    /// Who renamed it (`user`, `cli`, …).
    public var by: String

    public init(title: String?, by: String) {
        self.title = title
        self.by = by
    }
}
