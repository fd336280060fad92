import Foundation
import KodeKernel

extension AgentNode {
    /// The node of a sub-agent its parent just spawned (from the parent's `subagent_started`), so
    /// the tree shows it under its parent without reading the store again.
    package init(subAgent e: SubAgentStartedEvent, at time: Date, provider: String) {
        self.init(id: e.child, parent: nil, created: time, model: provider + "/" + e.model, checkpoints: nil)
        spawnedBy = SpawnRef(agentId: e.parent, callId: e.callId, depth: e.depth)
    }
}
