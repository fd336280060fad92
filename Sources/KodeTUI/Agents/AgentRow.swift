import Foundation
import KodeKernel

/// What the agents view says about one agent's activity.
package enum AgentActivity: String, Sendable, Hashable {
    case running
    case waiting = "waiting for approval"
    case idle
    /// A turn was cut (a crash, an interrupt) and waits for Ctrl+R.
    case interrupted
    /// Its log could not be read or written (corrupt, read-only).
    case failed
    /// Not open anywhere and not looked at yet.
    case stored

    /// From a live status (an agent open in this process or in the host).
    package init(_ status: AgentStatus) {
        if status.readOnlyReason != nil {
            self = .failed
        } else if !status.pendingApprovals.isEmpty || status.runtimeState == .paused {
            self = .waiting
        } else if status.runtimeState == .working {
            self = .running
        } else {
            self = status.turnInterrupted ? .interrupted : .idle
        }
    }

    /// From a stored state (an agent nobody has open).
    package init(_ state: AgentState) {
        if !state.pendingApprovals.isEmpty {
            self = .waiting
        } else if state.turnOpen {
            self = .interrupted
        } else {
            self = .idle
        }
    }
}

/// One agent in the agents view.
package struct AgentRow: Sendable, Hashable {
    package var id: AgentID
    /// Its title: given by a person, else the first prompt on one line (nil until known).
    package var title: String?
    package var activity: AgentActivity
    package var model: String
    package var created: Date
    package var parent: AgentID?

    package init(id: AgentID, title: String?, activity: AgentActivity, model: String, created: Date, parent: AgentID?) {
        self.id = id
        self.title = title
        self.activity = activity
        self.model = model
        self.created = created
        self.parent = parent
    }

    /// A row from a hub listing: the live status when the agent is open, else what the manifest says.
    package init(listing: AgentListing) {
        let m = listing.manifest
        id = m.id
        title = listing.live?.title
        activity = listing.live.map(AgentActivity.init) ?? .stored
        let provider = listing.live?.provider
        model = provider.map { "\($0.name)/\($0.model)" } ?? "\(m.config.provider.name)/\(m.config.provider.model)"
        created = m.created
        parent = m.parent?.agentId
    }

    /// The title an agent shows: the one a person gave it, else the first line of its first
    /// prompt (`AgentTitle`, the rule `kode agents` follows too), followed by the rooms it is in
    /// (`· @planner in design`).
    package static func title(from state: AgentState) -> String? {
        guard let title = AgentTitle.of(state) else { return nil }
        let rooms = state.roomPresence.map { "@\($0.member) in \($0.room)" }
        return rooms.isEmpty ? title : title + " · " + rooms.joined(separator: ", ")
    }
}
